package azureservicetags.spark;

import azureservicetags.Index;
import azureservicetags.Service;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;

/**
 * The three functions as Java UDFs, for {@code spark.udf.registerJavaFunction} (the
 * no-argument constructors: the Public snapshot, errors for bad values) or for
 * {@code spark.udf().register(name, udf, type)} with a snapshot and an errors rule.
 * Slower than the catalog's functions (Spark converts every argument and result), but
 * registered under any name. An address is a string, an IPv4 bigint or 4/16 bytes.
 */
public final class Udfs {
    private Udfs() {}

    /** What each UDF holds: the name of its lookups, found again on each executor. */
    abstract static class Base implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String snapshot;
        private final boolean nullOnError;
        private transient Lookups lookups;

        Base(String snapshot, boolean nullOnError) {
            this.snapshot = snapshot;
            this.nullOnError = nullOnError;
        }

        final Lookups lookups() {
            if (lookups == null) {
                lookups = Lookups.of(snapshot, nullOnError);
            }
            return lookups;
        }

        /** The set of an address argument, {@link Index#NOT_AN_ADDRESS} in null mode. */
        final int set(Object ip) {
            Lookups l = lookups();
            if (ip instanceof String) {
                return l.set((String) ip);
            }
            if (ip instanceof Long || ip instanceof Integer) {
                return l.set(((Number) ip).longValue());
            }
            if (ip instanceof byte[]) {
                return l.set((byte[]) ip);
            }
            throw new IllegalArgumentException("an address is a string, a bigint or a binary, not "
                + ip.getClass().getSimpleName());
        }

        final Service service(String name) {
            return lookups().service(name);
        }
    }

    /** {@code tags_containing(ip) -> array<string>}. */
    public static final class TagsContaining extends Base implements UDF1<Object, String[]> {
        private static final long serialVersionUID = 1L;

        public TagsContaining() { this("public", false); }
        public TagsContaining(String snapshot, boolean nullOnError) { super(snapshot, nullOnError); }

        @Override
        public String[] call(Object ip) {
            if (ip == null) {
                return null;
            }
            int set = set(ip);
            if (set == Index.NOT_AN_ADDRESS) {
                return null;
            }
            Index index = lookups().index();
            int[] tags = set < 0 ? new int[0] : index.set(set);
            String[] out = new String[tags.length];
            for (int i = 0; i < tags.length; i++) {
                out[i] = index.tagName(tags[i]);
            }
            return out;
        }
    }

    /** {@code owned_by(ip, service) -> boolean}. */
    public static final class OwnedBy extends Base implements UDF2<Object, String, Boolean> {
        private static final long serialVersionUID = 1L;

        public OwnedBy() { this("public", false); }
        public OwnedBy(String snapshot, boolean nullOnError) { super(snapshot, nullOnError); }

        @Override
        public Boolean call(Object ip, String service) {
            if (ip == null || service == null) {
                return null;
            }
            Service s = service(service);
            int set = set(ip);
            return set == Index.NOT_AN_ADDRESS ? null : s.owns(set);
        }
    }

    /** {@code service_match(ip, service) -> struct<tag: string, region: string>}. */
    public static final class ServiceMatch extends Base implements UDF2<Object, String, Row> {
        private static final long serialVersionUID = 1L;

        public ServiceMatch() { this("public", false); }
        public ServiceMatch(String snapshot, boolean nullOnError) { super(snapshot, nullOnError); }

        @Override
        public Row call(Object ip, String service) {
            if (ip == null || service == null) {
                return null;
            }
            Service s = service(service);
            int tag = s.match(set(ip));
            Index index = lookups().index();
            return tag < 0 ? null : RowFactory.create(index.tagName(tag), index.tagRegion(tag));
        }
    }
}
