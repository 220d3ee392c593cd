package azureservicetags;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * The reader's answers in {@code aztags lookup}'s table form, for the tests to compare
 * with the CLI: {@code java azureservicetags.LookupLines INDEX [SERVICE] < lines}. Each
 * line that is an address prints {@code address TAB tags} (comma-separated, {@code -}
 * for none), and with a service {@code TAB} the tag that answers for it ({@code -});
 * a line that is not prints {@code line N} on standard error. As the CLI, each line is
 * trimmed of whitespace and blank lines are skipped.
 */
public final class LookupLines {
    public static void main(String[] args) throws Exception {
        Index index = Index.read(Files.readAllBytes(Paths.get(args[0])));
        Service service = args.length > 1 ? Service.of(index, args[1]) : null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        int number = 0;
        for (String line; (line = in.readLine()) != null; ) {
            number++;
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            int set = index.setOfText(line);
            if (set == Index.NOT_AN_ADDRESS) {
                System.err.println("line " + number);
                continue;
            }
            out.write(line);
            out.write('\t');
            if (set == Index.NO_TAGS) {
                out.write('-');
            } else {
                int[] tags = index.set(set);
                for (int i = 0; i < tags.length; i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    out.write(index.tagName(tags[i]));
                }
            }
            if (service != null) {
                int match = service.match(set);
                out.write('\t');
                out.write(match < 0 ? "-" : index.tagName(match));
            }
            out.write('\n');
        }
        out.flush();
    }
}
