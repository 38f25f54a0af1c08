package io.sluice.daemon.cluster;

import io.sluice.daemon.outcome.suppression.SuppressionChange;
import io.sluice.daemon.outcome.suppression.SuppressionReason;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How a suppression change looks in Redis: the arguments of the publish script, an entry of the
 * change stream (one field per part), and a value of the list hash (the parts joined by the unit
 * separator, change time first so the script can compare it). Reads distrust what they find: a
 * malformed change throws IllegalArgumentException and is skipped by the caller.
 */
final class SuppressionWire {
    /** Joins the parts of a hash value; stripped from the free-text parts. */
    static final char SEP = '\u001f';
    /**
     * Longest note shared (the origin node keeps the whole of it): a remote reply can run to
     * kilobytes, and Redis holds one per suppressed key.
     */
    static final int NOTE_MAX = 256;
    /** Arguments per change in {@link #PUBLISH}. */
    static final int ARGS = 10;

    /**
     * KEYS: the list hash, the stream. ARGV[1]: the stream's approximate cap; then per change:
     * field, at (ms), action, origin, tenant, key, reason, source, note, expires (ms, 0 never).
     * A change enters the hash and the stream only when it is newer than the hash's (last writer
     * wins; same instant: an add beats a remove), so Redis holds each key's latest change and
     * older ones arriving late make no noise. Returns the id of the last entry added, or "".
     */
    static final String PUBLISH = """
            local last = ''
            for i = 2, #ARGV, 10 do
              local at, action = tonumber(ARGV[i + 1]), ARGV[i + 2]
              local cur = redis.call('HGET', KEYS[1], ARGV[i])
              local newer = true
              if cur then
                local cat, cact = string.match(cur, '^(%d+)\\031(%a+)')
                cat = tonumber(cat)
                if at < cat then newer = false
                elseif at == cat then newer = (action == 'add' and cact ~= 'add') end
              end
              if newer then
                redis.call('HSET', KEYS[1], ARGV[i], table.concat({ARGV[i + 1], action, ARGV[i + 3], ARGV[i + 4],
                  ARGV[i + 5], ARGV[i + 6], ARGV[i + 7], ARGV[i + 9], ARGV[i + 8]}, '\\031'))
                last = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'origin', ARGV[i + 3], 'action', action,
                  'tenant', ARGV[i + 4], 'key', ARGV[i + 5], 'reason', ARGV[i + 6], 'source', ARGV[i + 7],
                  'note', ARGV[i + 8], 'at', ARGV[i + 1], 'expires', ARGV[i + 9])
              end
            end
            return last
            """;

    private SuppressionWire() {
    }

    /** The hash field of a (tenant, key): tenants and keys hold no space. */
    static String field(SuppressionChange c) {
        return c.tenant() + ' ' + c.key();
    }

    /** Appends the {@link #ARGS} script arguments of {@code c}, published by {@code origin}. */
    static void addArgs(List<String> args, SuppressionChange c, String origin) {
        args.add(field(c));
        args.add(Long.toString(c.at().toEpochMilli()));
        args.add(c.action());
        args.add(origin);
        args.add(c.tenant());
        args.add(c.key());
        args.add(c.reason() == null ? "" : c.reason().label());
        args.add(text(c.source()));
        String note = text(c.note());
        args.add(note.length() > NOTE_MAX ? note.substring(0, NOTE_MAX) : note);
        args.add(c.expires() == null ? "0" : Long.toString(c.expires().toEpochMilli()));
    }

    private static String text(String s) {
        return s == null ? "" : s.replace(SEP, ' ');
    }

    /** A change read back, and the node that published it. */
    record Received(String origin, SuppressionChange change) {
    }

    /** A stream entry. */
    static Received fromEntry(Map<String, String> m) {
        return received(m.get("origin"), m.get("at"), m.get("action"), m.get("tenant"), m.get("key"), m.get("reason"),
                m.get("source"), m.get("note"), m.get("expires"));
    }

    /** A value of the list hash: at, action, origin, tenant, key, reason, source, expires, note. */
    static Received fromListValue(String value) {
        String[] p = value.split(String.valueOf(SEP), 9);
        if (p.length != 9) {
            throw new IllegalArgumentException("expected 9 parts");
        }
        return received(p[2], p[0], p[1], p[3], p[4], p[5], p[6], p[8], p[7]);
    }

    private static Received received(String origin, String at, String action, String tenant, String key, String reason,
                                     String source, String note, String expires) {
        if (origin == null || origin.isEmpty() || at == null) {
            throw new IllegalArgumentException("no origin or time");
        }
        if (!SuppressionChange.ADD.equals(action) && !SuppressionChange.REMOVE.equals(action)) {
            throw new IllegalArgumentException("action " + action);
        }
        SuppressionReason r = reason == null || reason.isEmpty() ? null : SuppressionReason.fromLabel(reason);
        long exp = expires == null || expires.isEmpty() ? 0 : Long.parseLong(expires);
        return new Received(origin, new SuppressionChange(action, tenant, key, r,
                source == null || source.isEmpty() ? "cluster" : source, note == null || note.isEmpty() ? null : note,
                Instant.ofEpochMilli(Long.parseLong(at)), exp == 0 ? null : Instant.ofEpochMilli(exp)));
    }
}
