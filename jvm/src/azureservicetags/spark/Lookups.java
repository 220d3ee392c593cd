package azureservicetags.spark;

import azureservicetags.Index;
import azureservicetags.Service;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * An {@link Index} with its answers in Spark's types (each tag set's names as one
 * {@code ArrayData}, the service-match structs), and what a value that is not an
 * address gives: an error naming it, or null. Shared by every task of an executor.
 */
public final class Lookups {
    private static final Map<String, Lookups> LOADED = new ConcurrentHashMap<>();

    private final String snapshot;
    private final Index index;
    private final boolean nullOnError;
    private final UTF8String[] names;
    private final UTF8String[] regions;
    private final ArrayData[] setNames;
    /** {@code array<string>}, as {@code tags} answers (before {@code NO_TAGS}, which is one). */
    static final DataType TAGS = new ArrayType(DataTypes.StringType, false);
    private static final ArrayData NO_TAGS = unsafe(toRow(), new Object[0]);
    private final Map<UTF8String, Service> services = new ConcurrentHashMap<>();
    // The service asked last (its name copied): rows mostly ask the same, and comparing
    // the bytes is cheaper than hashing them for the map.
    private volatile Asked last = new Asked(null, null);
    private final Map<String, Service> servicesByName = new ConcurrentHashMap<>();

    private Lookups(String snapshot, Index index, boolean nullOnError) {
        this.snapshot = snapshot;
        this.index = index;
        this.nullOnError = nullOnError;
        names = new UTF8String[index.tagCount()];
        regions = new UTF8String[index.tagCount()];
        for (int t = 0; t < names.length; t++) {
            names[t] = UTF8String.fromString(index.tagName(t));
            regions[t] = index.tagRegion(t) == null ? null : UTF8String.fromString(index.tagRegion(t));
        }
        setNames = new ArrayData[index.setCount()];
        UnsafeProjection toRow = toRow();
        for (int s = 0; s < setNames.length; s++) {
            int[] set = index.set(s);
            Object[] tags = new Object[set.length];
            for (int i = 0; i < set.length; i++) {
                tags[i] = names[set[i]];
            }
            setNames[s] = unsafe(toRow, tags);
        }
    }

    /** A projection of one {@code array<string>} into Spark's binary row format. */
    private static UnsafeProjection toRow() {
        return UnsafeProjection.create(new DataType[] {TAGS});
    }

    /**
     * The strings as an {@code array<string>} in Spark's own binary form, through
     * {@code toRow}: a function that returns one has it copied into the row whole, not
     * string by string.
     */
    private static ArrayData unsafe(UnsafeProjection toRow, Object[] strings) {
        return toRow.apply(new GenericInternalRow(new Object[] {new GenericArrayData(strings)})).getArray(0).copy();
    }

    /**
     * The lookups of {@code snapshot} (a cloud: public, government, china, from the jar;
     * or the path of a file {@code aztags export-index} wrote), loaded once per JVM.
     */
    public static Lookups of(String snapshot, boolean nullOnError) {
        String key = snapshot.toLowerCase(Locale.ROOT) + (nullOnError ? "\0null" : "\0error");
        return LOADED.computeIfAbsent(key, k -> new Lookups(snapshot, load(snapshot), nullOnError));
    }

    private static Index load(String snapshot) {
        String cloud = snapshot.toLowerCase(Locale.ROOT);
        try {
            if (cloud.equals("public") || cloud.equals("government") || cloud.equals("china")) {
                try (InputStream in = Lookups.class.getResourceAsStream("/azureservicetags/" + cloud + ".aztagidx")) {
                    if (in == null) {
                        throw new IllegalStateException("the jar holds no index of the " + cloud + " cloud");
                    }
                    return Index.read(in);
                }
            }
            return Index.read(Files.readAllBytes(Paths.get(snapshot)));
        } catch (IOException e) {
            throw new UncheckedIOException("index " + snapshot + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(snapshot + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether an {@code errors} setting ({@code error} or {@code null}, any case) asks for
     * null on a value that is not an address; {@code setting} names where it was read,
     * for the error on any other value.
     */
    public static boolean nullOnError(String setting, String errors) {
        String e = errors.toLowerCase(Locale.ROOT);
        if (!e.equals("error") && !e.equals("null")) {
            throw new IllegalArgumentException(setting + " must be error or null, not " + errors);
        }
        return e.equals("null");
    }

    /** What named the snapshot: a cloud or a file. */
    public String snapshot() { return snapshot; }

    /** The index. */
    public Index index() { return index; }

    /** Whether a value that is not an address gives null. */
    public boolean nullOnError() { return nullOnError; }

    /** What reads address text: the set's, or the service's answer. */
    private interface TextReader {
        int read(byte[] text, int off, int len);
    }

    /** {@code reader}'s answer for the bytes of {@code ip}, in place where they are on the heap. */
    private static int read(UTF8String ip, TextReader reader) {
        Object base = ip.getBaseObject();
        if (base instanceof byte[]) {
            return reader.read((byte[]) base, (int) (ip.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET), ip.numBytes());
        }
        byte[] bytes = ip.getBytes();
        return reader.read(bytes, 0, bytes.length);
    }

    /** The set of an address written as text, or {@link Index#NOT_AN_ADDRESS} (null mode) / an error. */
    int set(UTF8String ip) {
        return checked(read(ip, index::setOfText), ip);
    }

    /** Whether the address written as text is the service's; null (null mode) or an error when it is not an address. */
    Boolean owns(UTF8String ip, Service service) {
        int owned = checked(read(ip, service::ownsText), ip);
        return owned == Index.NOT_AN_ADDRESS ? null : owned == 1;
    }

    /** The same for a Java string (the Java UDFs' argument). */
    int set(String ip) {
        return checked(index.setOfText(ip), ip);
    }

    /** {@link #owns(UTF8String, Service)} for a Java string. */
    Boolean owns(String ip, Service service) {
        byte[] text = ip.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int owned = checked(service.ownsText(text, 0, text.length), ip);
        return owned == Index.NOT_AN_ADDRESS ? null : owned == 1;
    }

    /** {@code set}, or the error naming the text when it is not an address and errors are wanted. */
    private int checked(int set, Object text) {
        if (set == Index.NOT_AN_ADDRESS && !nullOnError) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 or IPv6 address");
        }
        return set;
    }

    /** Whether an integer is an IPv4 address: if not, false in null mode, else an error naming it. */
    private boolean isV4(long ip) {
        if (ip >= 0 && ip <= 0xFFFF_FFFFL) {
            return true;
        }
        if (nullOnError) {
            return false;
        }
        throw new IllegalArgumentException(ip + " is not an IPv4 address (0 to 4294967295)");
    }

    /** The set of an IPv4 address given as an integer. */
    int set(long ip) {
        return isV4(ip) ? index.setOfV4(ip) : Index.NOT_AN_ADDRESS;
    }

    /** Whether the IPv4 address given as an integer is the service's; null (null mode) or an error out of range. */
    Boolean owns(long ip, Service service) {
        return isV4(ip) ? service.ownsV4(ip) : null;
    }

    /** The set of an address given as 4 or 16 bytes. */
    int set(byte[] ip) {
        int set = index.setOfBytes(ip);
        if (set == Index.NOT_AN_ADDRESS && !nullOnError) {
            throw new IllegalArgumentException("an address is 4 or 16 bytes, not " + ip.length);
        }
        return set;
    }

    /** A name and the service it names. */
    private static final class Asked {
        final UTF8String name;
        final Service service;

        Asked(UTF8String name, Service service) {
            this.name = name;
            this.service = service;
        }
    }

    /** The service named {@code name}, or an error naming it. */
    Service service(UTF8String name) {
        Asked asked = last;
        if (name.equals(asked.name)) {
            return asked.service;
        }
        Service s = services.get(name);
        if (s == null) {
            s = service(name.toString());
            services.put(name.clone(), s);
        }
        last = new Asked(name.clone(), s);
        return s;
    }

    /** The service named {@code name} (any case), worked out once; an error naming it when unknown. */
    Service service(String name) {
        Service s = servicesByName.get(name);
        if (s == null) {
            s = Service.of(index, name);
            if (s == null) {
                throw new IllegalArgumentException("unknown service \"" + name + "\" in the " + index.cloud() + " snapshot");
            }
            servicesByName.put(name, s);
        }
        return s;
    }

    /** The tags of a set, as {@code array<string>}; null for {@link Index#NOT_AN_ADDRESS}. */
    ArrayData tags(int set) {
        if (set == Index.NOT_AN_ADDRESS) {
            return null;
        }
        return set < 0 ? NO_TAGS : setNames[set];
    }

    /** The {@code struct<tag, region>} of the service's tag in a set, or null. */
    InternalRow match(int set, Service service) {
        int tag = service.match(set);
        return tag < 0 ? null : new GenericInternalRow(new Object[] {names[tag], regions[tag]});
    }
}
