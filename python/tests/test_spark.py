"""Spark: a local session (local[2]) running the SQL functions as Python UDFs over the
million-address file, against the CLI, as arrow_udfs and as the pandas_udfs that Spark
3.5 and 4.0 get (this Spark has both); bad input fails the query, not the executor."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from pyspark.errors import PySparkException
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import azure_service_tags as ast
import azure_service_tags.spark as azs
from conftest import AML_IP, SERVICE


@pytest.fixture(scope="module")
def spark():
    # The Python workers must be this interpreter, which has the package installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("azure-service-tags-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "3g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def register(spark, udf_type, **options):
    """azs.register(spark, **options) with the Python UDFs of ``udf_type``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(azs, "_udf_type", lambda: udf_type)
        made = azs.register(spark, **options)
    assert (made.path, made.udf_type) == ("python", udf_type)
    return made


@pytest.fixture(scope="module", params=["arrow_udf", "pandas_udf"])
def fns(spark, request):
    return register(spark, request.param)


def every(fns) -> int:
    """Every how many rows of the file a test reads: the pandas path's service_match
    answers row by row, so it reads every 16th row (65,536 of them)."""
    return 1 if fns.udf_type == "arrow_udf" else 16


def test_sql_functions_answer_as_the_cli(spark, fns, flows):
    spark.read.parquet(str(flows.path)).where(f"row % {every(fns)} = 0").createOrReplaceTempView("flows")
    rows = spark.sql(
        f"""SELECT row, azure_tags_containing(ip) AS tags, azure_owned_by(ip, '{SERVICE}') AS aml,
                   azure_service_match(ip, '{SERVICE}') AS hit
            FROM flows ORDER BY row"""
    ).toArrow()
    assert rows["tags"].to_pylist() == flows.tags[:: every(fns)]
    assert rows["aml"].to_pylist() == flows.owned[:: every(fns)]
    assert rows["hit"].to_pylist() == flows.match[:: every(fns)]


def test_the_dataframe_api_and_other_column_types(spark, fns, flows):
    n = every(fns)
    df = spark.read.parquet(str(flows.path)).where(f"row % {n} = 0")
    out = df.select(
        "row",
        fns.owned_by("ip_bin", F.lit(SERVICE)).alias("by_bin"),
        fns.owned_by("ip_u32", F.lit(SERVICE)).alias("by_int"),
        fns.owned_by("ip", SERVICE).alias("bound"),
        fns.service_match(F.col("ip"), SERVICE).alias("bound_match"),
    ).orderBy("row").toArrow()
    assert out["bound"].to_pylist() == flows.owned[::n]
    assert out["bound_match"].to_pylist() == flows.match[::n]
    assert out["by_bin"].to_pylist() == flows.owned[::n]
    by_int = out["by_int"].to_pylist()
    for ip, mine, cli in zip(flows.ips[::n], by_int, flows.owned[::n], strict=True):
        if ip is not None and ":" not in ip:
            assert mine == cli, ip


def test_bad_input_fails_the_query_with_the_value_and_spark_goes_on(spark, fns):
    df = spark.createDataFrame([(AML_IP,), (None,), ("fe80::1%eth0",)], "ip string")
    with pytest.raises(PySparkException, match="fe80::1%eth0"):
        df.select(fns.owned_by("ip", F.lit(SERVICE))).collect()
    lenient = register(spark, fns.udf_type, prefix="lenient_", errors="null")
    answers = [r[0] for r in df.select(lenient.owned_by("ip", F.lit(SERVICE))).collect()]
    assert answers == [True, None, None]
    bound = [r[0] for r in df.select(lenient.owned_by("ip", SERVICE)).collect()]
    assert bound == [True, None, None]
    with pytest.raises(ast.NotFoundError, match="AzureMachineLearnin"):
        fns.owned_by("ip", "AzureMachineLearnin")
    empty = spark.createDataFrame([], "ip string")
    assert empty.select(fns.tags_containing("ip")).collect() == []
    # The executors are still there.
    assert spark.sql(f"SELECT azure_owned_by('{AML_IP}', 'AzureMachineLearning')").collect()[0][0]


def test_snapshot_objects_travel_to_executors_as_references(spark):
    data_dir = Path(__file__).resolve().parents[2] / "data" / "public"
    df = spark.createDataFrame([(AML_IP,), ("192.0.2.1",)], "ip string")
    for snap in [ast.public(), ast.Snapshot.from_path(data_dir)]:
        fns = azs.register(spark, snapshot=snap, prefix="obj_")
        assert [r[0] for r in df.select(fns.owned_by("ip", SERVICE)).collect()] == [True, False]
    with pytest.raises(TypeError, match="snapshot must be"):
        azs.register(spark, snapshot=42)
    with pytest.raises(ast.SnapshotError, match="nope.json"):
        azs.register(spark, snapshot="/no/such/dir/nope.json")
    with pytest.raises(ValueError, match="errors must be 'error' or 'null'"):
        azs.register(spark, errors="ignore")


def test_a_snapshot_file_is_loaded_once_per_executor_process(spark):
    """Many Arrow batches, one load per Python worker process: every batch of a worker
    sees the same snapshot object (a second load would be a new one)."""
    from pyspark.sql.functions import arrow_udf

    data_dir = str(Path(__file__).resolve().parents[2] / "data" / "public")
    fns = azs.register(spark, snapshot=data_dir, prefix="file_")

    @arrow_udf("string")
    def loads(ips: pa.Array) -> pa.Array:
        import azure_service_tags

        held = id(azure_service_tags.resolve_snapshot(data_dir))
        return pa.array([f"{os.getpid()} {held}"] * len(ips))

    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "1000")
    try:
        df = spark.range(40_000).selectExpr(f"'{AML_IP}' AS ip").repartition(2)
        rows = df.select(fns.owned_by("ip", F.lit(SERVICE)).alias("aml"), loads("ip").alias("w")).collect()
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    assert all(r.aml for r in rows)
    seen = {}
    for r in rows:
        pid, held = r.w.split()
        seen.setdefault(pid, set()).add(held)
    assert seen and all(len(objects) == 1 for objects in seen.values()), seen


def test_the_flow_log_example_counts_what_the_cli_counts(spark, tmp_path):
    """python/examples/spark_flow_logs.py on its own synthetic flow logs: its per-region
    counts equal those of the scalar API row by row (which test_scalar checks against
    `aztags check`)."""
    import importlib.util

    import pyarrow.parquet as pq

    path = Path(__file__).resolve().parents[1] / "examples" / "spark_flow_logs.py"
    spec = importlib.util.spec_from_file_location("spark_flow_logs", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    flows = tmp_path / "flows.parquet"
    example.write_flow_logs(flows, rows=20_000)
    got = {r.region: r.flows for r in example.aml_flows_by_region(spark, flows).collect()}
    expected: dict = {}
    snap = ast.public()
    for ip in pq.read_table(flows)["dst_ip"].to_pylist():
        hit = snap.service_match(ip, SERVICE)
        if hit is not None:
            region = hit.region.name if hit.region else None
            expected[region] = expected.get(region, 0) + 1
    assert got == expected and sum(got.values()) > 3000


def test_local_workers_run_in_this_python_without_an_activated_environment(tmp_path):
    """A script run as ``venv/bin/python script.py``, with nothing activated and no
    PYSPARK_PYTHON: Spark would start the workers with ``python3`` from PATH, here a
    stand-in that fails, unless register() points them at this interpreter."""
    stand_in = tmp_path / "bin"
    stand_in.mkdir()
    python3 = stand_in / "python3"
    python3.write_text("#!/bin/sh\necho 'the python3 on PATH was started' >&2\nexit 3\n")
    python3.chmod(0o755)
    script = (
        "from pyspark.sql import SparkSession\n"
        "import azure_service_tags.spark as azs\n"
        "spark = (SparkSession.builder.master('local[1]').config('spark.ui.enabled', 'false')"
        ".getOrCreate())\n"
        "fns = azs.register(spark, native=False)\n"
        "row = spark.sql(\"SELECT azure_owned_by('192.0.2.1', 'AzureMachineLearning') AS o\").collect()[0]\n"
        "print('owned', row.o)\n"
        "spark.stop()\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "VIRTUAL_ENV")}
    env["PATH"] = f"{stand_in}{os.pathsep}{env.get('PATH', '')}"
    import subprocess

    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "owned False" in done.stdout
    assert "the python3 on PATH was started" not in done.stderr
