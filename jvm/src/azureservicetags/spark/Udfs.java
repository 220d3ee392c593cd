package azureservicetags.spark;

import azureservicetags.Index;
import azureservicetags.Service;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;

/**
 * The three functions as Java UDFs, for {@code spark.udf.registerJavaFunction} (the
 * no-argument constructors: the snapshot and errors rule of the session's
 * {@code spark.azureservicetags.snapshot} and {@code spark.azureservicetags.errors} when
 * the function is registered, by default the Public snapshot and an error for a bad
 * value; this is how Spark Connect, where a client can name only the class, chooses) or
 * for {@code spark.udf().register(name, udf, type)} with a snapshot and an errors rule.
 * Slower than the catalog's functions (Spark converts every argument and result), but
 * registered under any name. An address is a string, an IPv4 bigint or 4/16 bytes.
 */
public final class Udfs {
    private Udfs() {}

    /** The prefix of the session settings the no-argument constructors read. */
    public static final String SETTINGS = "spark.azureservicetags.";

    /**
     * The setting {@code SETTINGS + option} of the thread's active session (else the
     * default session), or {@code fallback} where there is none or it is not set.
     */
    static String setting(String option, String fallback) {
        scala.Option<SparkSession> session = SparkSession.getActiveSession();
        if (session.isEmpty()) {
            session = SparkSession.getDefaultSession();
        }
        return session.isDefined() ? session.get().conf().get(SETTINGS + option, fallback) : fallback;
    }

    /** What each UDF holds: the name of its lookups, found again on each executor. */
    abstract static class Base implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String snapshot;
        private final boolean nullOnError;
        // Why the session's settings cannot be used, said at the first call: Spark
        // drops the message of a constructor's exception when it registers by class
        // name.
        private final String invalid;
        private transient Lookups lookups;

        Base(String snapshot, boolean nullOnError) {
            this.snapshot = snapshot;
            this.nullOnError = nullOnError;
            this.invalid = null;
        }

        /** The session's settings (the no-argument constructors). */
        Base() {
            this.snapshot = setting("snapshot", "public");
            String errors = setting("errors", "error");
            boolean nulls = false;
            String why = null;
            try {
                nulls = Lookups.nullOnError(SETTINGS + "errors", errors);
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
            this.nullOnError = nulls;
            this.invalid = why;
        }

        final Lookups lookups() {
            if (lookups == null) {
                if (invalid != null) {
                    throw new IllegalArgumentException(invalid);
                }
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

        public TagsContaining() { super(); }
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

        public OwnedBy() { super(); }
        public OwnedBy(String snapshot, boolean nullOnError) { super(snapshot, nullOnError); }

        @Override
        public Boolean call(Object ip, String service) {
            if (ip == null || service == null) {
                return null;
            }
            Service s = service(service);
            if (ip instanceof String) {
                return lookups().owns((String) ip, s);
            }
            int set = set(ip);
            return set == Index.NOT_AN_ADDRESS ? null : s.owns(set);
        }
    }

    /** {@code service_match(ip, service) -> struct<tag: string, region: string>}. */
    public static final class ServiceMatch extends Base implements UDF2<Object, String, Row> {
        private static final long serialVersionUID = 1L;

        public ServiceMatch() { super(); }
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
