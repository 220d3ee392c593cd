package azureservicetags;

/**
 * One service's answers over an {@link Index}'s tag sets, worked out once: for each
 * set, the tag that answers for the service (a regional tag of the service, else its
 * global tag, the crate's {@code service_match} rule), or none.
 */
public final class Service {
    private final String name;
    private final int[] match;

    /** The service named {@code name} (any case) in {@code index}, or null when no tag is of it. */
    public static Service of(Index index, String name) {
        String known = index.serviceName(name);
        return known == null ? null : new Service(index, known);
    }

    private Service(Index index, String name) {
        this.name = name;
        match = new int[index.setCount()];
        for (int s = 0; s < match.length; s++) {
            int regional = -1;
            int global = -1;
            for (int tag : index.set(s)) {
                String tagName = index.tagName(tag);
                if (!Index.serviceOf(tagName).equalsIgnoreCase(name)) {
                    continue;
                }
                if (index.tagRegion(tag) != null) {
                    regional = regional < 0 ? tag : regional;
                } else if (tagName.length() == name.length()) {
                    global = global < 0 ? tag : global;
                }
            }
            match[s] = regional >= 0 ? regional : global;
        }
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
}
