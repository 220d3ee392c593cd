package azureservicetags;

/**
 * One service's answers over an {@link Index}'s tag sets, worked out once: for each
 * set, the tag that answers for the service (a regional tag of the service, else its
 * global tag: the roles the index file carries, the crate's {@code service_match}), or
 * none.
 */
public final class Service {
    private final String name;
    private final Index index;
    private final int[] match;
    // The /16 blocks that hold an IPv4 address of the service: most addresses are
    // answered by one bit of it, without a search of the index.
    private final long[] v4Blocks;

    /** The service named {@code name} (any case) in {@code index}, or null when no tag is of it. */
    public static Service of(Index index, String name) {
        String known = index.serviceName(name);
        return known == null ? null : new Service(index, known);
    }

    private Service(Index index, String name) {
        this.name = name;
        this.index = index;
        match = new int[index.setCount()];
        for (int s = 0; s < match.length; s++) {
            int regional = -1;
            int global = -1;
            for (int tag : index.set(s)) {
                if (!index.tagService(tag).equalsIgnoreCase(name)) {
                    continue;
                }
                if (index.tagRole(tag) == Index.REGIONAL) {
                    regional = regional < 0 ? tag : regional;
                } else if (index.tagRole(tag) == Index.GLOBAL) {
                    global = global < 0 ? tag : global;
                }
            }
            match[s] = regional >= 0 ? regional : global;
        }
        v4Blocks = index.v4Blocks(s -> match[s] >= 0);
    }

    /** The service's name as published. */
    public String name() { return name; }

    /** The tag of the service that answers for set {@code set} (a set number or {@link Index#NO_TAGS}), or -1. */
    public int match(int set) {
        return set < 0 ? -1 : match[set];
    }

    /** Whether an address of set {@code set} is the service's. */
    public boolean owns(int set) {
        return set >= 0 && match[set] >= 0;
    }

    /** Whether the IPv4 address (0 to 2^32 - 1) is the service's. */
    public boolean ownsV4(long address) {
        int block = (int) (address >>> 16);
        return (v4Blocks[block >>> 6] & 1L << block) != 0 && owns(index.setOfV4(address));
    }

    /**
     * Whether the address written in {@code text[off, off + len)} (UTF-8, as
     * {@link Index#setOfText} reads it) is the service's: 1 or 0, or
     * {@link Index#NOT_AN_ADDRESS}.
     */
    public int ownsText(byte[] text, int off, int len) {
        long v4 = Addresses.ipv4(text, off, len);
        if (v4 >= 0) {
            return ownsV4(v4) ? 1 : 0;
        }
        int set = index.setOfText(text, off, len);
        return set == Index.NOT_AN_ADDRESS ? set : owns(set) ? 1 : 0;
    }
}
