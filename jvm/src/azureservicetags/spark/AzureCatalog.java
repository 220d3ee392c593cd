package azureservicetags.spark;

import org.apache.spark.sql.catalyst.analysis.NoSuchFunctionException;
import org.apache.spark.sql.connector.catalog.FunctionCatalog;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The functions as a Spark function catalog:
 * {@code spark.sql.catalog.azure=azureservicetags.spark.AzureCatalog}, then
 * {@code SELECT azure.owned_by(ip, 'AzureMachineLearning')}. Options
 * ({@code spark.sql.catalog.azure.<option>}): {@code snapshot}, a cloud ({@code public},
 * the default, {@code government}, {@code china}) or the path of a file
 * {@code aztags export-index} wrote, on every executor; {@code errors}: {@code error} (the
 * default) fails the query on a value that is not an address, naming it, {@code null}
 * answers null.
 */
public final class AzureCatalog implements FunctionCatalog {
    private String name;
    private Lookups lookups;

    @Override
    public void initialize(String name, CaseInsensitiveStringMap options) {
        this.name = name;
        String snapshot = options.getOrDefault("snapshot", "public");
        boolean nullOnError = Lookups.nullOnError("spark.sql.catalog." + name + ".errors",
            options.getOrDefault("errors", "error"));
        boolean defaults = snapshot.equalsIgnoreCase("public") && !nullOnError;
        lookups = defaults ? Functions.DEFAULT : Lookups.of(snapshot, nullOnError);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Identifier[] listFunctions(String[] namespace) {
        Functions.Kind[] kinds = Functions.Kind.values();
        Identifier[] out = new Identifier[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            out[i] = Identifier.of(new String[0], kinds[i].sqlName);
        }
        return out;
    }

    @Override
    public UnboundFunction loadFunction(Identifier ident) throws NoSuchFunctionException {
        Functions.Kind kind = Functions.Kind.named(ident.name());
        if (kind == null || ident.namespace().length > 0) {
            throw new NoSuchFunctionException(ident);
        }
        return new Functions.Unbound(kind, lookups);
    }
}
