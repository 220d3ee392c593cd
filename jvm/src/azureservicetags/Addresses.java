package azureservicetags;

/**
 * Address text as the crate's {@code parse_ip} reads it: exactly the spellings Rust's
 * {@code IpAddr} parser accepts (dotted IPv4 without leading zeros; IPv6 with at most
 * one {@code ::} standing for at least one group, groups of one to four hex digits, an
 * IPv4 address only as the last two groups), no whitespace, no zone id.
 */
final class Addresses {
    private Addresses() {}

    /** The IPv4 address written in {@code t[off, off + len)}, or -1. */
    static long ipv4(byte[] t, int off, int len) {
        long end = ipv4End(t, off, off + len);
        return end >= 0 && (end >>> 32) == off + len ? end & 0xFFFF_FFFFL : -1;
    }

    /**
     * Reads an IPv4 address from {@code t[at, limit)}: -1 when there is none, else the
     * position after it (high 32 bits) and the address (low 32 bits).
     */
    private static long ipv4End(byte[] t, int at, int limit) {
        long address = 0;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (at >= limit || t[at] != '.') {
                    return -1;
                }
                at++;
            }
            int start = at;
            int value = 0;
            while (at < limit && at - start < 3 && t[at] >= '0' && t[at] <= '9') {
                value = value * 10 + (t[at] - '0');
                at++;
            }
            int digits = at - start;
            if (digits == 0 || value > 255 || (digits > 1 && t[start] == '0')
                    || (at < limit && t[at] >= '0' && t[at] <= '9')) {
                return -1;
            }
            address = address << 8 | value;
        }
        return (long) at << 32 | address;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }

    /**
     * Reads groups from {@code t[at, limit)} into {@code groups[0, max)}: as Rust's
     * {@code read_groups}, an embedded IPv4 address is tried while two groups are left.
     * Returns the position after them (high 32 bits), the count (bits 8 to 15) and
     * whether the last two were an IPv4 address (bit 0).
     */
    private static long groups(byte[] t, int at, int limit, int[] groups, int base, int max) {
        for (int i = 0; i < max; i++) {
            int from = at;
            if (i > 0) {
                if (from >= limit || t[from] != ':') {
                    return (long) at << 32 | (long) i << 8;
                }
                from++;
            }
            if (i < max - 1) {
                long v4 = ipv4End(t, from, limit);
                if (v4 >= 0) {
                    groups[base + i] = (int) (v4 >>> 16) & 0xFFFF;
                    groups[base + i + 1] = (int) v4 & 0xFFFF;
                    return (v4 >>> 32) << 32 | (long) (i + 2) << 8 | 1;
                }
            }
            int value = 0;
            int digits = 0;
            while (from < limit && digits < 4 && hex(t[from]) >= 0) {
                value = value << 4 | hex(t[from]);
                from++;
                digits++;
            }
            if (digits == 0) {
                return (long) at << 32 | (long) i << 8;
            }
            groups[base + i] = value;
            at = from;
        }
        return (long) at << 32 | (long) max << 8;
    }

    /** The IPv6 address written in {@code t[off, off + len)} as (high, low), or null. */
    static long[] ipv6(byte[] t, int off, int len) {
        int limit = off + len;
        int[] g = new int[8];
        long head = groups(t, off, limit, g, 0, 8);
        int at = (int) (head >>> 32);
        int headSize = (int) (head >>> 8) & 0xFF;
        if (headSize < 8) {
            if ((head & 1) != 0 || at + 1 >= limit || t[at] != ':' || t[at + 1] != ':') {
                return null;
            }
            int[] tail = new int[7];
            long back = groups(t, at + 2, limit, tail, 0, 8 - (headSize + 1));
            at = (int) (back >>> 32);
            int tailSize = (int) (back >>> 8) & 0xFF;
            System.arraycopy(tail, 0, g, 8 - tailSize, tailSize);
        }
        if (at != limit) {
            return null;
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = high << 16 | g[i];
            low = low << 16 | g[i + 4];
        }
        return new long[] {high, low};
    }
}
