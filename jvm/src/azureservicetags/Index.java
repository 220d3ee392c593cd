package azureservicetags;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The address index the crate exports ({@code aztags export-index}, format version 1,
 * documented in the crate's {@code index_file} module): sorted, disjoint address
 * intervals, each with a tag set, and the tags' names and regions. Immutable once
 * read, so one instance serves every thread.
 */
public final class Index {
    /** The newest format version this reader reads (it reads every one before it too). */
    public static final int FORMAT_VERSION = 2;

    /** {@link #tagRole}: a regional tag of its service. */
    public static final int REGIONAL = 1;

    /** {@link #tagRole}: its service's global tag. */
    public static final int GLOBAL = 2;

    /** {@link #setOf} for an address in no tag. */
    public static final int NO_TAGS = -1;

    /** {@link #setOf} for text that is not an address. */
    public static final int NOT_AN_ADDRESS = -2;

    private final String cloud;
    private final long changeNumber;
    private final String source;
    private final String sha256;
    private final String published;
    private final String[] tagNames;
    private final String[] tagRegions;
    private final String[] tagServices;
    private final byte[] tagRoles;
    private final int[][] sets;
    // IPv4 bounds with the sign bit flipped, so that signed order is address order.
    private final int[] v4First;
    private final int[] v4Last;
    private final int[] v4Set;
    // For each /16 block b, the intervals that may hold its addresses start at number
    // v4Block[b] (the last one starting at or before the block) and end before
    // v4Block[b + 1] + 1: a search reads a few intervals, not all of them.
    private final int[] v4Block;
    // IPv6 bounds as (high, low) pairs, the sign bits flipped likewise.
    private final long[] v6FirstHi;
    private final long[] v6FirstLo;
    private final long[] v6LastHi;
    private final long[] v6LastLo;
    private final int[] v6Set;
    private final Map<String, String> serviceNames = new HashMap<>();

    private Index(ByteBuffer b) {
        byte[] magic = new byte[8];
        b.get(magic);
        if (!new String(magic, StandardCharsets.US_ASCII).equals("AZTAGIDX")) {
            throw new IllegalArgumentException("not an azure-service-tags index file (its first bytes are not AZTAGIDX)");
        }
        int version = Short.toUnsignedInt(b.getShort());
        if (version < 1 || version > FORMAT_VERSION) {
            throw new IllegalArgumentException("index file format version " + version
                + ": this reader reads version " + FORMAT_VERSION + "; use a jar as new as the file");
        }
        cloud = text(b);
        changeNumber = b.getLong();
        source = text(b);
        sha256 = text(b);
        published = text(b);
        int tags = b.getInt();
        tagNames = new String[tags];
        tagRegions = new String[tags];
        tagServices = new String[tags];
        tagRoles = new byte[tags];
        for (int i = 0; i < tags; i++) {
            tagNames[i] = text(b);
            String region = text(b);
            tagRegions[i] = region.isEmpty() ? null : region;
            if (version >= 2) {
                tagServices[i] = text(b);
                tagRoles[i] = b.get();
            } else {
                tagServices[i] = formatOneService(tagNames[i]);
                tagRoles[i] = formatOneRole(tagNames[i], tagServices[i], tagRegions[i]);
            }
            serviceNames.putIfAbsent(tagServices[i].toLowerCase(Locale.ROOT), tagServices[i]);
        }
        sets = new int[b.getInt()][];
        for (int s = 0; s < sets.length; s++) {
            int[] set = new int[Short.toUnsignedInt(b.getShort())];
            for (int i = 0; i < set.length; i++) {
                set[i] = b.getInt();
            }
            sets[s] = set;
        }
        int n4 = b.getInt();
        v4First = new int[n4];
        v4Last = new int[n4];
        v4Set = new int[n4];
        for (int i = 0; i < n4; i++) {
            v4First[i] = b.getInt() ^ Integer.MIN_VALUE;
            v4Last[i] = b.getInt() ^ Integer.MIN_VALUE;
            v4Set[i] = b.getInt();
        }
        v4Block = blocks(v4First);
        int n6 = b.getInt();
        v6FirstHi = new long[n6];
        v6FirstLo = new long[n6];
        v6LastHi = new long[n6];
        v6LastLo = new long[n6];
        v6Set = new int[n6];
        for (int i = 0; i < n6; i++) {
            v6FirstHi[i] = b.getLong() ^ Long.MIN_VALUE;
            v6FirstLo[i] = b.getLong() ^ Long.MIN_VALUE;
            v6LastHi[i] = b.getLong() ^ Long.MIN_VALUE;
            v6LastLo[i] = b.getLong() ^ Long.MIN_VALUE;
            v6Set[i] = b.getInt();
        }
        if (b.remaining() != 4) {
            throw new IllegalArgumentException("index file: " + (b.remaining() - 4) + " bytes after the IPv6 intervals");
        }
    }

    /** For each /16 block (and one past the last), the number of the first interval to search. */
    private static int[] blocks(int[] first) {
        int[] out = new int[65537];
        int i = 0;
        for (int block = 0; block <= 65536; block++) {
            long start = (long) block << 16;
            // The last interval starting at or before the block's first address.
            while (i < first.length && ((first[i] ^ Integer.MIN_VALUE) & 0xFFFF_FFFFL) <= start) {
                i++;
            }
            out[block] = Math.max(0, i - 1);
        }
        return out;
    }

    /** Reads an index file's bytes, checking its magic, version and CRC-32. */
    public static Index read(byte[] file) {
        if (file.length < 14) {
            throw new IllegalArgumentException("index file: " + file.length + " bytes is too short");
        }
        CRC32 crc = new CRC32();
        crc.update(file, 0, file.length - 4);
        int check = ByteBuffer.wrap(file, file.length - 4, 4).getInt();
        if ((int) crc.getValue() != check) {
            throw new IllegalArgumentException("index file: the CRC-32 does not match (a damaged or cut file)");
        }
        try {
            return new Index(ByteBuffer.wrap(file));
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("index file: it ends inside a field");
        }
    }

    /** Reads an index file from a stream (which it does not close). */
    public static Index read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream(1 << 21);
        in.transferTo(all);
        return read(all.toByteArray());
    }

    private static String text(ByteBuffer b) {
        byte[] bytes = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * A tag's service in a format 1 file, which does not store it: its name up to the
     * first {@code .}, as the crate's {@code index_file} documents for format 1.
     */
    private static String formatOneService(String tag) {
        int dot = tag.indexOf('.');
        return dot < 0 ? tag : tag.substring(0, dot);
    }

    /** A tag's role in a format 1 file, as the crate's {@code index_file} documents it. */
    private static byte formatOneRole(String tag, String service, String region) {
        return (byte) (region != null ? REGIONAL : tag.length() == service.length() ? GLOBAL : 0);
    }

    /** The cloud (its official name: Public, AzureGovernment, China). */
    public String cloud() { return cloud; }

    /** The snapshot's changeNumber. */
    public long changeNumber() { return changeNumber; }

    /** The official file the snapshot came from. */
    public String source() { return source; }

    /** That file's SHA-256, in hex. */
    public String sha256() { return sha256; }

    /** The publication date (YYYY-MM-DD), or empty when unknown. */
    public String published() { return published; }

    /** The number of tags. */
    public int tagCount() { return tagNames.length; }

    /** Tag number {@code tag}'s name. */
    public String tagName(int tag) { return tagNames[tag]; }

    /** Tag number {@code tag}'s region (ARM name), or null for a global tag. */
    public String tagRegion(int tag) { return tagRegions[tag]; }

    /** Tag number {@code tag}'s service, as published. */
    public String tagService(int tag) { return tagServices[tag]; }

    /**
     * How tag number {@code tag} answers for its service: {@link #REGIONAL},
     * {@link #GLOBAL}, or 0 when it does not.
     */
    public int tagRole(int tag) { return tagRoles[tag]; }

    /** The number of tag sets. */
    public int setCount() { return sets.length; }

    /** The tags of set {@code set}, ascending (published order). Not to be changed. */
    public int[] set(int set) { return sets[set]; }

    /**
     * The /16 blocks that some IPv4 interval of a set that {@code wanted} accepts meets,
     * as a bitmap (block {@code b} is bit {@code b % 64} of word {@code b / 64}): a first
     * test, in the L1 cache, for one question's addresses.
     */
    public long[] v4Blocks(java.util.function.IntPredicate wanted) {
        long[] words = new long[1 << 10];
        for (int i = 0; i < v4First.length; i++) {
            if (!wanted.test(v4Set[i])) {
                continue;
            }
            int first = (v4First[i] ^ Integer.MIN_VALUE) >>> 16;
            int last = (v4Last[i] ^ Integer.MIN_VALUE) >>> 16;
            for (int block = first; block <= last; block++) {
                words[block >>> 6] |= 1L << block;
            }
        }
        return words;
    }

    /** The set of an IPv4 address (0 to 2^32 - 1), or {@link #NO_TAGS}. */
    public int setOfV4(long address) {
        int key = (int) address ^ Integer.MIN_VALUE;
        int block = (int) (address >>> 16);
        int lo = v4Block[block];
        int hi = Math.min(v4First.length, v4Block[block + 1] + 1);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (v4First[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo > 0 && key <= v4Last[lo - 1] ? v4Set[lo - 1] : NO_TAGS;
    }

    /** The set of the IPv6 address {@code (high, low)} (IPv4-mapped ones as IPv4). */
    public int setOfV6(long high, long low) {
        if (high == 0 && (low >>> 32) == 0xFFFFL) {
            return setOfV4(low & 0xFFFF_FFFFL);
        }
        long kh = high ^ Long.MIN_VALUE;
        long kl = low ^ Long.MIN_VALUE;
        int lo = 0;
        int hi = v6FirstHi.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (v6FirstHi[mid] < kh || (v6FirstHi[mid] == kh && v6FirstLo[mid] <= kl)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == 0) {
            return NO_TAGS;
        }
        int i = lo - 1;
        boolean inside = kh < v6LastHi[i] || (kh == v6LastHi[i] && kl <= v6LastLo[i]);
        return inside ? v6Set[i] : NO_TAGS;
    }

    /** The set of an address given as 4 or 16 bytes, or {@link #NOT_AN_ADDRESS}. */
    public int setOfBytes(byte[] b) {
        if (b.length == 4) {
            return setOfV4(ByteBuffer.wrap(b).getInt() & 0xFFFF_FFFFL);
        }
        if (b.length == 16) {
            ByteBuffer w = ByteBuffer.wrap(b);
            return setOfV6(w.getLong(), w.getLong());
        }
        return NOT_AN_ADDRESS;
    }

    /**
     * The set of the address written in {@code text[off, off + len)} (UTF-8), or
     * {@link #NOT_AN_ADDRESS}: the spellings the crate's {@code parse_ip} accepts.
     */
    public int setOfText(byte[] text, int off, int len) {
        long v4 = Addresses.ipv4(text, off, len);
        if (v4 >= 0) {
            return setOfV4(v4);
        }
        long[] v6 = Addresses.ipv6(text, off, len);
        return v6 == null ? NOT_AN_ADDRESS : setOfV6(v6[0], v6[1]);
    }

    /** {@link #setOfText} of a whole string. */
    public int setOfText(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return setOfText(b, 0, b.length);
    }

    /** The service named {@code name} (any case) as published, or null when no tag is of it. */
    public String serviceName(String name) {
        return serviceNames.get(name.toLowerCase(Locale.ROOT));
    }
}
