package io.sluice.protocol.dane;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * One answer and its DNSSEC state.
 *
 * @param message null when {@code security} is {@link Security#FAILED}
 * @param reason  why it is bogus or failed; empty otherwise
 */
public record DnssecAnswer(Security security, Message message, String reason) {

    public static DnssecAnswer failed(String reason) {
        return new DnssecAnswer(Security.FAILED, null, reason);
    }

    public int rcode() {
        return message == null ? Rcode.SERVFAIL : message.getRcode();
    }

    /** The answer section's records of this class, in order (CNAMEs skipped unless asked for). */
    public <T extends Record> List<T> answers(Class<T> type) {
        List<T> found = new ArrayList<>();
        if (message != null) {
            for (Record r : message.getSection(Section.ANSWER)) {
                if (type.isInstance(r)) {
                    found.add(type.cast(r));
                }
            }
        }
        return found;
    }
}
