package io.sluice.protocol.address;

/** IPv4 and IPv6 literal syntax of RFC 5321 §4.1.3, checked without any name lookup. */
final class AddressLiterals {
    private AddressLiterals() {
    }

    /* IPv4-address-literal = Snum 3("." Snum); Snum = 1*3DIGIT representing 0..255. */
    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /* IPv6-addr = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp (RFC 5321 §4.1.3). */
    static boolean isIpv6(String s) {
        int maxGroups = 8;
        String hex = s;
        int lastColon = s.lastIndexOf(':');
        if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
            // IPv6v4-*: six hex groups' worth of room, then a dotted IPv4 tail.
            if (!isIpv4(s.substring(lastColon + 1))) {
                return false;
            }
            maxGroups = 6;
            String head = s.substring(0, lastColon + 1);
            hex = head.endsWith("::") ? head : head.substring(0, head.length() - 1);
        }
        if (hex.isEmpty()) {
            return false;
        }
        int dc = hex.indexOf("::");
        if (dc < 0) {
            return groups(hex) == maxGroups;
        }
        if (hex.indexOf("::", dc + 1) >= 0) {
            return false;
        }
        int left = groups(hex.substring(0, dc));
        int right = groups(hex.substring(dc + 2));
        // IPv6-comp: "::" stands for at least two groups, so at most maxGroups - 2 are written.
        return left >= 0 && right >= 0 && left + right <= maxGroups - 2;
    }

    /* Number of 1-4 hex digit groups separated by single colons; "" is zero groups, -1 if invalid. */
    private static int groups(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        String[] parts = s.split(":", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 4) {
                return -1;
            }
            for (int i = 0; i < p.length(); i++) {
                if (Character.digit(p.charAt(i), 16) < 0) {
                    return -1;
                }
            }
        }
        return parts.length;
    }
}
