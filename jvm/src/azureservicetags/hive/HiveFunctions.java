package azureservicetags.hive;

import azureservicetags.spark.Udfs;
import java.util.Arrays;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDF;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;

/**
 * The three functions as Hive {@code GenericUDF}s, for {@code CREATE FUNCTION name AS
 * 'azureservicetags.hive.HiveFunctions$OwnedBy' USING JAR '...'} on Hive-enabled Spark
 * (Synapse, Fabric, Databricks): the Public snapshot, errors for bad values, always
 * (Hive makes each function anew on every executor, where no session's settings are
 * seen). Each wraps the Java UDF of the same name, so the answers are the same.
 */
public final class HiveFunctions {
    private HiveFunctions() {}

    /** What each one shares: its arguments' inspectors and their count. */
    abstract static class Base extends GenericUDF {
        private PrimitiveObjectInspector[] inputs;

        /** Checks the arguments and keeps their inspectors; returns the result's. */
        final ObjectInspector arguments(ObjectInspector[] args, int count, String name, ObjectInspector result)
                throws UDFArgumentException {
            if (args.length != count) {
                throw new UDFArgumentException(name + " takes " + count + " argument" + (count > 1 ? "s (ip, service)" : " (ip)")
                    + ", not " + args.length);
            }
            inputs = new PrimitiveObjectInspector[count];
            for (int i = 0; i < count; i++) {
                if (!(args[i] instanceof PrimitiveObjectInspector)) {
                    throw new UDFArgumentException(name + ": argument " + (i + 1) + " is a " + args[i].getTypeName()
                        + "; an address is a string, a bigint or a binary, a service a string");
                }
                inputs[i] = (PrimitiveObjectInspector) args[i];
            }
            return result;
        }

        /** Argument {@code i} as text, or null. */
        final String text(DeferredObject[] args, int i) throws HiveException {
            Object o = value(args, i);
            return o == null ? null : o.toString();
        }

        /** Argument {@code i} as a Java value (String, Long, Integer, byte[]), or null. */
        final Object value(DeferredObject[] args, int i) throws HiveException {
            Object o = args[i].get();
            return o == null ? null : inputs[i].getPrimitiveJavaObject(o);
        }
    }

    /** {@code tags_containing(ip) -> array<string>}. */
    public static final class TagsContaining extends Base {
        private final Udfs.TagsContaining udf = new Udfs.TagsContaining("public", false);

        @Override
        public ObjectInspector initialize(ObjectInspector[] args) throws UDFArgumentException {
            return arguments(args, 1, "tags_containing", ObjectInspectorFactory.getStandardListObjectInspector(
                PrimitiveObjectInspectorFactory.javaStringObjectInspector));
        }

        @Override
        public Object evaluate(DeferredObject[] args) throws HiveException {
            String[] tags = udf.call(value(args, 0));
            return tags == null ? null : Arrays.asList(tags);
        }

        @Override
        public String getDisplayString(String[] children) {
            return "tags_containing(" + String.join(", ", children) + ")";
        }
    }

    /** {@code owned_by(ip, service) -> boolean}. */
    public static final class OwnedBy extends Base {
        private final Udfs.OwnedBy udf = new Udfs.OwnedBy("public", false);

        @Override
        public ObjectInspector initialize(ObjectInspector[] args) throws UDFArgumentException {
            return arguments(args, 2, "owned_by", PrimitiveObjectInspectorFactory.javaBooleanObjectInspector);
        }

        @Override
        public Object evaluate(DeferredObject[] args) throws HiveException {
            return udf.call(value(args, 0), text(args, 1));
        }

        @Override
        public String getDisplayString(String[] children) {
            return "owned_by(" + String.join(", ", children) + ")";
        }
    }

    /** {@code service_match(ip, service) -> struct<tag: string, region: string>}. */
    public static final class ServiceMatch extends Base {
        private final Udfs.ServiceMatch udf = new Udfs.ServiceMatch("public", false);

        @Override
        public ObjectInspector initialize(ObjectInspector[] args) throws UDFArgumentException {
            ObjectInspector text = PrimitiveObjectInspectorFactory.javaStringObjectInspector;
            return arguments(args, 2, "service_match", ObjectInspectorFactory.getStandardStructObjectInspector(
                Arrays.asList("tag", "region"), Arrays.asList(text, text)));
        }

        @Override
        public Object evaluate(DeferredObject[] args) throws HiveException {
            org.apache.spark.sql.Row row = udf.call(value(args, 0), text(args, 1));
            return row == null ? null : Arrays.asList(row.get(0), row.get(1));
        }

        @Override
        public String getDisplayString(String[] children) {
            return "service_match(" + String.join(", ", children) + ")";
        }
    }
}
