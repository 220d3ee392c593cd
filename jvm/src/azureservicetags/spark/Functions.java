package azureservicetags.spark;

import azureservicetags.Service;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The three functions as Spark DataSource V2 functions: {@code tags_containing(ip)}
 * (also under its former name {@code tags}, deprecated),
 * {@code owned_by(ip, service)} and {@code service_match(ip, service)}, each with
 * {@code ip} a string, a bigint (or int) IPv4 address, or a binary of 4 or 16 bytes.
 * Bound to the catalog's defaults (the Public snapshot, errors for bad values) they are
 * {@code static invoke} methods, which Spark calls inside whole-stage code generation;
 * bound to another snapshot or null for bad values, instance methods on the lookups.
 */
public final class Functions {
    private Functions() {}

    static final DataType TAGS = Lookups.TAGS;
    // The tag is declared nullable, as the Java and Python UDFs declare it: a null
    // struct's fields are null in Arrow, which a client (Spark Connect's) refuses to
    // read as a non-nullable field.
    static final StructType MATCH = new StructType(new StructField[] {
        DataTypes.createStructField("tag", DataTypes.StringType, true),
        DataTypes.createStructField("region", DataTypes.StringType, true),
    });

    /** The catalog's defaults, for the static methods. */
    static final Lookups DEFAULT = Lookups.of("public", false);

    /**
     * What each function is: its name, whether it takes a service, its result type, and
     * its former names. The crate's table of per-row functions is the source; the Python
     * tests bind this one to it through {@link #describe()}.
     */
    enum Kind {
        TAGS_CONTAINING("tags_containing", false, TAGS, "tags"),
        OWNED_BY("owned_by", true, DataTypes.BooleanType),
        SERVICE_MATCH("service_match", true, MATCH);

        final String sqlName;
        final boolean takesService;
        final DataType result;
        final String[] deprecatedNames;

        Kind(String sqlName, boolean takesService, DataType result, String... deprecatedNames) {
            this.sqlName = sqlName;
            this.takesService = takesService;
            this.result = result;
            this.deprecatedNames = deprecatedNames;
        }

        static Kind named(String name) {
            for (Kind k : values()) {
                if (k.sqlName.equalsIgnoreCase(name)) {
                    return k;
                }
                for (String old : k.deprecatedNames) {
                    if (old.equalsIgnoreCase(name)) {
                        return k;
                    }
                }
            }
            return null;
        }
    }

    /**
     * Each function as {@code name,takes_service,result,deprecated names}: {@code
     * owned_by,true,boolean,} (the result as Spark's {@code simpleString}, the former
     * names joined by {@code |}).
     */
    public static String[] describe() {
        Kind[] kinds = Kind.values();
        String[] out = new String[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            Kind k = kinds[i];
            out[i] = k.sqlName + "," + k.takesService + "," + k.result.simpleString() + ","
                + String.join("|", k.deprecatedNames);
        }
        return out;
    }

    /** A function before Spark knows its argument types. */
    static final class Unbound implements UnboundFunction {
        private static final long serialVersionUID = 1L;
        private final Kind kind;
        private final transient Lookups lookups;

        Unbound(Kind kind, Lookups lookups) {
            this.kind = kind;
            this.lookups = lookups;
        }

        @Override
        public BoundFunction bind(StructType input) {
            int want = kind.takesService ? 2 : 1;
            if (input.fields().length != want) {
                throw new UnsupportedOperationException(kind.sqlName + " takes " + want
                    + " argument" + (want > 1 ? "s (ip, service)" : " (ip)") + ", not " + input.fields().length);
            }
            DataType ip = input.fields()[0].dataType();
            DataType at;
            if (ip instanceof org.apache.spark.sql.types.StringType) {
                at = DataTypes.StringType;
            } else if (ip.equals(DataTypes.LongType) || ip.equals(DataTypes.IntegerType)) {
                at = DataTypes.LongType;
            } else if (ip.equals(DataTypes.BinaryType)) {
                at = DataTypes.BinaryType;
            } else {
                throw new UnsupportedOperationException(kind.sqlName + ": an address is a string, a bigint "
                    + "(IPv4) or a binary of 4 or 16 bytes, not " + ip.simpleString());
            }
            DataType[] types = kind.takesService ? new DataType[] {at, DataTypes.StringType} : new DataType[] {at};
            boolean defaults = lookups == DEFAULT;
            switch (kind) {
                case TAGS_CONTAINING:
                    return defaults ? new Tags(types) : new Tags.Configured(types, lookups);
                case OWNED_BY:
                    return defaults ? new OwnedBy(types) : new OwnedBy.Configured(types, lookups);
                default:
                    return defaults ? new ServiceMatch(types) : new ServiceMatch.Configured(types, lookups);
            }
        }

        @Override
        public String description() {
            return kind.sqlName + ": the Azure service tags of an address (azure-service-tags)";
        }

        @Override
        public String name() {
            return kind.sqlName;
        }
    }

    /**
     * What every bound function shares. Spark ships bound functions to executors with
     * the plan, so a function holds the name of its lookups, and each executor finds
     * them (loaded once per JVM) on first use.
     */
    abstract static class Bound<R> implements ScalarFunction<R> {
        private static final long serialVersionUID = 1L;
        private final DataType[] inputs;
        private final Kind kind;
        private final String snapshot;
        private final boolean nullOnError;
        transient Lookups lookups;

        Bound(Kind kind, DataType[] inputs, Lookups lookups) {
            this.kind = kind;
            this.inputs = inputs;
            this.lookups = lookups;
            this.snapshot = lookups.snapshot();
            this.nullOnError = lookups.nullOnError();
        }

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            lookups = Lookups.of(snapshot, nullOnError);
        }

        @Override public DataType[] inputTypes() { return inputs; }
        @Override public DataType resultType() { return kind.result; }
        @Override public String name() { return kind.sqlName; }
        @Override public boolean isResultNullable() { return true; }
        @Override public boolean isDeterministic() { return true; }

        @Override
        public String canonicalName() {
            return "azure_service_tags." + kind.sqlName + "(" + inputs[0].simpleString() + ")@"
                + lookups.index().cloud() + ":" + lookups.index().changeNumber()
                + (lookups.nullOnError() ? ":null" : "");
        }

        /** The set of the row's address (argument 0), for the row-at-a-time path. */
        int set(InternalRow row) {
            DataType at = inputs[0];
            if (at.equals(DataTypes.StringType)) return lookups.set(row.getUTF8String(0));
            if (at.equals(DataTypes.LongType)) return lookups.set(row.getLong(0));
            return lookups.set(row.getBinary(0));
        }

        /** Whether argument 0 or 1 is null, for the row-at-a-time path. */
        boolean anyNull(InternalRow row) {
            return row.isNullAt(0) || (inputs.length > 1 && row.isNullAt(1));
        }
    }

    /** What {@code tags_containing} answers, row at a time. */
    abstract static class TagsRow extends Bound<ArrayData> {
        TagsRow(DataType[] inputs, Lookups lookups) { super(Kind.TAGS_CONTAINING, inputs, lookups); }

        @Override
        public ArrayData produceResult(InternalRow row) {
            return anyNull(row) ? null : lookups.tags(set(row));
        }
    }

    /** {@code tags_containing(ip) -> array<string>}: every tag containing the address, in published order. */
    public static final class Tags extends TagsRow {
        Tags(DataType[] inputs) { super(inputs, DEFAULT); }

        public static ArrayData invoke(UTF8String ip) { return ip == null ? null : DEFAULT.tags(DEFAULT.set(ip)); }
        public static ArrayData invoke(long ip) { return DEFAULT.tags(DEFAULT.set(ip)); }
        public static ArrayData invoke(byte[] ip) { return ip == null ? null : DEFAULT.tags(DEFAULT.set(ip)); }

        /** The same on another snapshot, or with null for bad values. */
        public static final class Configured extends TagsRow {
            Configured(DataType[] inputs, Lookups lookups) { super(inputs, lookups); }

            public ArrayData invoke(UTF8String ip) { return ip == null ? null : lookups.tags(lookups.set(ip)); }
            public ArrayData invoke(long ip) { return lookups.tags(lookups.set(ip)); }
            public ArrayData invoke(byte[] ip) { return ip == null ? null : lookups.tags(lookups.set(ip)); }
        }
    }

    /** What {@code owned_by} answers, row at a time. */
    abstract static class OwnedByRow extends Bound<Boolean> {
        OwnedByRow(DataType[] inputs, Lookups lookups) { super(Kind.OWNED_BY, inputs, lookups); }

        @Override
        public Boolean produceResult(InternalRow row) {
            if (anyNull(row)) {
                return null;
            }
            Service service = lookups.service(row.getUTF8String(1));
            int set = set(row);
            return set == azureservicetags.Index.NOT_AN_ADDRESS ? null : service.owns(set);
        }
    }

    /** {@code owned_by(ip, service) -> boolean}: the address is the service's (its global or a regional tag). */
    public static final class OwnedBy extends OwnedByRow {
        OwnedBy(DataType[] inputs) { super(inputs, DEFAULT); }

        public static Boolean invoke(UTF8String ip, UTF8String service) {
            return ip == null || service == null ? null : DEFAULT.owns(ip, DEFAULT.service(service));
        }
        public static Boolean invoke(long ip, UTF8String service) {
            return service == null ? null : DEFAULT.owns(ip, DEFAULT.service(service));
        }
        public static Boolean invoke(byte[] ip, UTF8String service) {
            return ip == null || service == null ? null : DEFAULT.service(service).owns(DEFAULT.set(ip));
        }

        /** The same on another snapshot, or with null for bad values. */
        public static final class Configured extends OwnedByRow {
            Configured(DataType[] inputs, Lookups lookups) { super(inputs, lookups); }

            public Boolean invoke(UTF8String ip, UTF8String service) {
                return ip == null || service == null ? null : lookups.owns(ip, lookups.service(service));
            }
            public Boolean invoke(long ip, UTF8String service) {
                return service == null ? null : lookups.owns(ip, lookups.service(service));
            }
            public Boolean invoke(byte[] ip, UTF8String service) {
                return ip == null || service == null ? null : owns(lookups.set(ip), service);
            }

            private Boolean owns(int set, UTF8String service) {
                Service s = lookups.service(service);
                return set == azureservicetags.Index.NOT_AN_ADDRESS ? null : s.owns(set);
            }
        }
    }

    /** {@code service_match(ip, service) -> struct<tag, region>}: the service's tag containing the address (a regional one first) and its region. */
    public static final class ServiceMatch extends ServiceMatchRow {
        ServiceMatch(DataType[] inputs) { super(inputs, DEFAULT); }

        public static InternalRow invoke(UTF8String ip, UTF8String service) {
            return ip == null || service == null ? null : DEFAULT.match(DEFAULT.set(ip), DEFAULT.service(service));
        }
        public static InternalRow invoke(long ip, UTF8String service) {
            return service == null ? null : DEFAULT.match(DEFAULT.set(ip), DEFAULT.service(service));
        }
        public static InternalRow invoke(byte[] ip, UTF8String service) {
            return ip == null || service == null ? null : DEFAULT.match(DEFAULT.set(ip), DEFAULT.service(service));
        }

        /** The same on another snapshot, or with null for bad values. */
        public static final class Configured extends ServiceMatchRow {
            Configured(DataType[] inputs, Lookups lookups) { super(inputs, lookups); }

            public InternalRow invoke(UTF8String ip, UTF8String service) {
                return ip == null || service == null ? null : lookups.match(lookups.set(ip), lookups.service(service));
            }
            public InternalRow invoke(long ip, UTF8String service) {
                return service == null ? null : lookups.match(lookups.set(ip), lookups.service(service));
            }
            public InternalRow invoke(byte[] ip, UTF8String service) {
                return ip == null || service == null ? null : lookups.match(lookups.set(ip), lookups.service(service));
            }
        }
    }

    /** What {@code service_match} answers, row at a time. */
    abstract static class ServiceMatchRow extends Bound<InternalRow> {
        ServiceMatchRow(DataType[] inputs, Lookups lookups) { super(Kind.SERVICE_MATCH, inputs, lookups); }

        @Override
        public InternalRow produceResult(InternalRow row) {
            if (anyNull(row)) {
                return null;
            }
            Service service = lookups.service(row.getUTF8String(1));
            return lookups.match(set(row), service);
        }
    }
}
