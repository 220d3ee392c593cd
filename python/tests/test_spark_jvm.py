"""The Spark jar (jvm/, built by scripts/build-jar.sh): its Java reader against the CLI on
the million-address file and on random text, then every entry point in a local Spark
session (local[2], with Hive support) over the Parquet file: the function catalog, the
Java UDFs of registerJavaFunction, the Hive functions of CREATE FUNCTION, and register()
in SQL and the DataFrame API; string, bigint and binary addresses, nulls, bad input,
empty partitions, another cloud and an exported file. Runs on the test environment's
Spark and, from scripts/test-spark-versions.sh, on Spark 3.5."""

from __future__ import annotations

import os
import random
import re
import subprocess

import azure_service_tags as ast
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyspark.sql import SparkSession

from conftest import AML_IP, SERVICE, aztags

JAR = os.environ.get("AZURE_SERVICE_TAGS_JAR", "")
TEST_CLASSES = os.path.join(os.path.dirname(JAR), "test-classes")
INDEX_DIR = os.path.join(os.path.dirname(JAR), "classes", "azureservicetags")
FIXTURE = os.path.join(os.path.dirname(__file__), "../../tests/fixtures/ServiceTags_Public_20990105.json")


def java_lookup(index: str, text: bytes, *service: str) -> subprocess.CompletedProcess:
    assert os.path.isfile(JAR), "set AZURE_SERVICE_TAGS_JAR to the jar scripts/build-jar.sh writes"
    classpath = f"{JAR}{os.pathsep}{TEST_CLASSES}"
    return subprocess.run(["java", "-cp", classpath, "azureservicetags.LookupLines", index, *service],
                          input=text, capture_output=True, check=False)


def static_invoke(frame) -> bool:
    """Whether Spark calls the jar's static methods in generated code: Spark 4 prints
    static_invoke(...), Spark 3.5 staticinvoke(class ...)."""
    plan = frame._jdf.queryExecution().executedPlan().toString()
    return "static_invoke(azureservicetags" in plan or "staticinvoke(class azureservicetags" in plan


def fuzz(rng: random.Random, n: int) -> "list[str]":
    """Text near the address grammar: digits, hex, dots, colons, a zone, spaces."""
    pieces = ["0", "1", "9", "25", "255", "256", "01", "a", "F", "ffff", "12345", ".", ":", "::",
              "%eth0", " ", "1.2.3.4", "::ffff:", "20.41.0.241", "2603:1030::", "x", "-1"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 9))) for _ in range(n)]


def test_the_java_reader_answers_as_the_cli(flows):
    lines = [ip for ip in flows.ips if ip is not None] + fuzz(random.Random(7), 200_000)
    text = "\n".join(lines).encode()
    want = aztags("lookup", "-", stdin=text)
    got = java_lookup(os.path.join(INDEX_DIR, "public.aztagidx"), text)
    assert got.returncode == 0, got.stderr.decode()[-2000:]
    bad_cli = re.findall(rb"stdin:(\d+):", want.stderr)
    bad_java = re.findall(rb"line (\d+)", got.stderr)
    assert bad_java == bad_cli and len(bad_cli) > 1000
    # The same lines were addresses, so the answers align (the CLI prints each address
    # in its canonical form, the test reader as written).
    def answers(out):
        return [line.split(b"\t")[1] for line in out.splitlines()]
    assert answers(got.stdout) == answers(want.stdout)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The test fixture's snapshot as an index file, by `aztags export-index`."""
    path = tmp_path_factory.mktemp("index") / "fixture.aztagidx"
    out = aztags("--snapshot", FIXTURE, "export-index", str(path))
    assert out.returncode == 0, out.stderr
    return str(path)


@pytest.fixture(scope="module")
def spark(exported, tmp_path_factory):
    assert os.path.isfile(JAR), "set AZURE_SERVICE_TAGS_JAR to the jar scripts/build-jar.sh writes"
    catalog = "azureservicetags.spark.AzureCatalog"
    warehouse = tmp_path_factory.mktemp("warehouse")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("azure-service-tags-jvm-tests")
        # Hive support, for CREATE FUNCTION: the metastore in memory, its log nowhere.
        .enableHiveSupport()
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.hadoop.javax.jdo.option.ConnectionURL", "jdbc:derby:memory:metastore;create=true")
        .config("spark.driver.extraJavaOptions", "-Dderby.stream.error.file=/dev/null")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "3g")
        .config("spark.jars", JAR)
        .config("spark.sql.catalog.azure", catalog)
        .config("spark.sql.catalog.azgov", catalog)
        .config("spark.sql.catalog.azgov.snapshot", "government")
        .config("spark.sql.catalog.aznull", catalog)
        .config("spark.sql.catalog.aznull.errors", "null")
        .config("spark.sql.catalog.azfile", catalog)
        .config("spark.sql.catalog.azfile.snapshot", exported)
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def cli(spark, flows, tmp_path_factory):
    """The view `flows`: the million-address file with what the CLI answered for each row
    beside it (cli_tags, cli_owned, cli_m), so that Spark compares the answers itself
    instead of sending a million rows to Python."""
    path = tmp_path_factory.mktemp("cli") / "flows-and-cli.parquet"
    match = pa.struct([("tag", pa.string()), ("region", pa.string())])
    table = pq.read_table(flows.path).append_column("cli_tags", pa.array(flows.tags, pa.list_(pa.string())))
    table = table.append_column("cli_owned", pa.array(flows.owned, pa.bool_()))
    pq.write_table(table.append_column("cli_m", pa.array(flows.match, match)), path, row_group_size=200_000)
    spark.read.parquet(str(path)).createOrReplaceTempView("flows")


def differences(got, column: str = "ip") -> list:
    """The first rows of ``got`` (the view flows with the answers tags, owned and m)
    where an answer is not the CLI's, or none. Where the address ``column`` is null (a
    bigint column on an IPv6 row) every answer must be null."""
    differs = " OR ".join(f"NOT ({c} <=> IF({column} IS NULL, NULL, cli_{c}))" for c in ("tags", "owned", "m"))
    return got.where(differs).select("row", "ip", "tags", "cli_tags", "owned", "cli_owned", "m", "cli_m").limit(5).collect()


@pytest.mark.parametrize("column", ["ip", "ip_u32", "ip_bin"])
def test_every_function_answers_as_the_cli(spark, cli, column):
    ip = "CAST(ip_u32 AS BIGINT)" if column == "ip_u32" else column
    frame = spark.sql(f"SELECT *, azure.tags_containing({ip}) AS tags, azure.owned_by({ip}, '{SERVICE}') AS owned, "
                      f"azure.service_match({ip}, '{SERVICE}') AS m FROM flows")
    assert static_invoke(frame)
    assert differences(frame, column) == []


def test_a_format_1_index_file_answers_as_the_current_one(tmp_path, flows):
    """The reader still reads format 1, which carries no services or roles, and answers
    each address's tags and the service's tag as from the current format, which are
    the crate's answers."""
    old = tmp_path / "public-v1.aztagidx"
    assert aztags("export-index", str(old), "--format-version", "1").returncode == 0
    assert old.read_bytes()[8:10] == b"\x00\x01"
    ips = [ip for ip in flows.ips[:20000] if ip is not None]
    text = "\n".join(ips).encode()
    new = java_lookup(os.path.join(INDEX_DIR, "public.aztagidx"), text, SERVICE)
    assert new.returncode == 0, new.stderr.decode()[-2000:]
    assert java_lookup(str(old), text, SERVICE).stdout == new.stdout
    hits = ast.public().service_match_each(pa.array(ips), SERVICE).to_pylist()
    java = [line.split("\t")[2] for line in new.stdout.decode().splitlines()]
    assert java == [h["tag"] if h else "-" for h in hits]


def test_the_catalog_is_the_crates_table_of_functions(spark):
    """The Java catalog's functions are the crate's per-row functions: the same names,
    arguments, result types and former names (the old name still answers)."""
    from azure_service_tags._engines import FUNCTIONS

    # Spark's simpleString writes a struct without spaces.
    want = [f"{f.name},{str(f.takes_service).lower()},{f.spark_type.replace(' ', '')},"
            f"{'|'.join(f.deprecated_names)}" for f in FUNCTIONS]
    assert list(spark._jvm.azureservicetags.spark.Functions.describe()) == want
    assert (spark.sql(f"SELECT azure.tags('{AML_IP}')").collect()
            == spark.sql(f"SELECT azure.tags_containing('{AML_IP}')").collect())


@pytest.mark.parametrize("entry", ["registerJavaFunction", "CREATE FUNCTION"])
def test_the_java_udfs_and_the_hive_functions_answer_as_the_cli(spark, cli, entry):
    classes = {"tags": "TagsContaining", "owned": "OwnedBy", "match": "ServiceMatch"}
    types = {"tags": "array<string>", "owned": "boolean", "match": "struct<tag:string,region:string>"}
    # Each entry point under names of its own: a temporary function would hide a
    # permanent one of the same name.
    prefix = "java_" if entry == "registerJavaFunction" else "hive_"
    for short, cls in classes.items():
        if entry == "registerJavaFunction":
            spark.udf.registerJavaFunction(prefix + short, f"azureservicetags.spark.Udfs${cls}", types[short])
        else:
            spark.sql(f"CREATE OR REPLACE FUNCTION {prefix}{short} AS 'azureservicetags.hive.HiveFunctions${cls}' "
                      f"USING JAR '{JAR}'")
    got = spark.sql(f"SELECT *, {prefix}tags(ip) AS tags, {prefix}owned(ip, '{SERVICE}') AS owned, "
                    f"{prefix}match(ip, '{SERVICE}') AS m FROM flows")
    assert differences(got) == []
    if entry == "CREATE FUNCTION":
        with pytest.raises(Exception) as wrong:
            spark.sql(f"SELECT {prefix}owned('1.1.1.1')").collect()
        # Spark 3.5 passes the function's message on; Spark 4 names the class instead.
        assert "takes 2 arguments" in str(wrong.value) or "HiveFunctions.OwnedBy" in str(wrong.value)


def test_the_dataframe_api_and_empty_partitions(spark):
    frame = spark.createDataFrame([(AML_IP,), (None,), ("192.0.2.1",)], "ip string").repartition(8)
    rows = frame.selectExpr("ip", f"azure.owned_by(ip, '{SERVICE}') AS owned").collect()
    assert sorted((r.ip or "", r.owned) for r in rows) == sorted([("", None), ("192.0.2.1", False), (AML_IP, True)])
    assert spark.sql(f"SELECT azure.owned_by('{AML_IP}', NULL), azure.tags_containing(CAST(NULL AS STRING))").collect()[0] == (None, None)


def test_bad_input_fails_the_query_naming_it_and_spark_goes_on(spark):
    for query, message in [
        ("SELECT azure.owned_by('fe80::1%eth0', 'AzureCloud')", "fe80::1%eth0"),
        ("SELECT azure.tags_containing(' 1.2.3.4')", "is not an IPv4 or IPv6 address"),
        ("SELECT azure.tags(-1L)", "-1 is not an IPv4 address"),
        ("SELECT azure.tags_containing(X'0102')", "4 or 16 bytes, not 2"),
        ("SELECT azure.owned_by('1.1.1.1', 'NoSuchService')", 'unknown service "NoSuchService"'),
    ]:
        with pytest.raises(Exception, match=re.escape(message)):
            spark.sql(query).collect()
    assert spark.sql(f"SELECT azure.owned_by('{AML_IP}', '{SERVICE}')").collect()[0][0] is True
    lenient = spark.sql("SELECT aznull.owned_by(ip, 'AzureCloud') AS o, aznull.tags(ip) AS t "
                        f"FROM VALUES ('bad'), ('{AML_IP}') AS v(ip)").collect()
    assert [(r.o, r.t is None) for r in lenient] == [(None, True), (True, False)]
    with pytest.raises(Exception, match="takes 2 arguments"):
        spark.sql("SELECT azure.owned_by('1.1.1.1')").collect()
    with pytest.raises(Exception, match="not double"):
        spark.sql("SELECT azure.tags(1.5D)").collect()


def test_another_cloud_and_an_exported_file(spark):
    import azure_service_tags as ast

    for catalog, snap in [("azgov", ast.government()), ("azfile", ast.Snapshot.from_path(FIXTURE))]:
        tag = next(snap.tag(n) for n in snap.tag_names() if snap.tag(n).ipv4())
        ip = tag.ipv4()[0].split("/")[0]
        row = spark.sql(f"SELECT {catalog}.tags('{ip}'), {catalog}.owned_by('{ip}', '{tag.service}')").collect()[0]
        assert list(row[0]) == [t.name for t in snap.tags_containing(ip)]
        assert row[1] is True


def test_register_takes_the_jar_and_answers_as_the_cli(spark, cli):
    import azure_service_tags.spark as azs

    fns = azs.register(spark)
    assert fns.path == "jvm"
    sql = spark.sql(f"SELECT *, azure_tags_containing(ip) AS tags, azure_owned_by(ip, '{SERVICE}') AS owned, "
                    f"azure_service_match(ip, '{SERVICE}') AS m FROM flows")
    assert differences(sql) == []
    api = spark.table("flows").select("*", fns.tags_containing("ip_bin").alias("tags"),
                                      fns.owned_by("ip", SERVICE).alias("owned"),
                                      fns.service_match("ip_bin", SERVICE).alias("m"))
    assert static_invoke(api)
    assert differences(api) == []
    with pytest.raises(Exception, match="not an ip"):
        spark.sql(f"SELECT azure_owned_by('not an ip', '{SERVICE}')").collect()
    gov = azs.register(spark, snapshot="government", prefix="gov_", errors="null")
    assert gov.path == "jvm"
    assert spark.sql("SELECT gov_owned_by('not an ip', 'AzureCloud')").collect()[0][0] is None
    assert azs.register(spark, snapshot=FIXTURE, prefix="file_").path == "python"
    with pytest.raises(RuntimeError, match="clouds it carries"):
        azs.register(spark, snapshot=FIXTURE, native=True)


def test_the_package_carries_the_jar():
    import azure_service_tags.spark as azs

    path = azs.jar_path()
    assert path is not None and path.startswith(os.path.dirname(azs.__file__))
    with open(path, "rb") as built, open(JAR, "rb") as made:
        assert built.read() == made.read()
