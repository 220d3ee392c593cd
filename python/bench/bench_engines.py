"""Rows per second per core of `owned_by` and `tags` in Spark, Polars and DuckDB,
against each engine's own best approach without this package.

    scripts/bench-python.sh            # builds the wheel, then runs this file

Not a test: it prints a Markdown table (BENCHMARKS.md, "Python engines"). The input is
a Parquet file of flow-log-shaped IPv4 strings (half inside Azure prefixes, half
random), written once; every approach reads the same file and its answer is checked
against ours before it is timed. Spark runs `local[1]` and DuckDB and Polars one
thread, so every number is per core.

Peers:
- Spark (i): a Python UDF with `ipaddress`, in its best setup: Arrow-batched
  (`useArrow=True`), the address parsed once, then a binary search (`bisect`) over
  merged integer ranges (owned_by) or over disjoint intervals with precomputed tag
  lists (tags), instead of testing every network.
- Spark (ii): the best pure-Spark approach: the address turned into a `bigint` with
  SQL functions, then a broadcast join on integer bounds, made an equi-join by bucketing
  the ranges per /16 (so it is a hash join, not a nested loop); for tags the ranges are
  disjoint intervals that carry their tag list, so no group-by follows.
- pyarrow: the functions called on a pyarrow column, against pyarrow compute (the same
  integer conversion) and NumPy `searchsorted` over the interval starts.
- Polars: the same integer conversion, then a vectorized binary search of the sorted
  interval starts (`search_sorted`) and an end check.
- DuckDB: the same integer conversion, then an `ASOF LEFT JOIN` on the sorted interval
  starts (its native range lookup) and an end check.
- Spark also shows two floors: reading the cached rows into a no-op sink, and an Arrow
  UDF that does nothing (returns its input's null mask), which is what any Python
  function pays in Spark for the trip to the Python worker and back.
"""

from __future__ import annotations

import argparse
import bisect
import ipaddress
import os
import random
import socket
import struct
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import azure_service_tags as ast

SERVICE = "AzureMachineLearning"


def merged_ranges(networks):
    spans = sorted((int(n.network_address), int(n.broadcast_address)) for n in networks)
    out = []
    for lo, hi in spans:
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [tuple(r) for r in out]


def service_ranges(snap):
    """IPv4 ranges of the tags `owned_by` counts: the service's global and regional tags."""
    nets = []
    for name in snap.tag_names():
        tag = snap.tag(name)
        if tag.service.lower() == SERVICE.lower() and (tag.region is not None or name.lower() == SERVICE.lower()):
            nets.extend(ipaddress.IPv4Network(p) for p in tag.ipv4())
    return merged_ranges(nets)


def tag_intervals(snap):
    """Disjoint IPv4 intervals, each with the names of the tags containing it (in the
    snapshot's order), from a sweep over every prefix."""
    events = {}
    order = {}
    for i, name in enumerate(snap.tag_names()):
        order[name] = i
        for p in snap.tag(name).ipv4():
            n = ipaddress.IPv4Network(p)
            events.setdefault(int(n.network_address), []).append((1, name))
            events.setdefault(int(n.broadcast_address) + 1, []).append((-1, name))
    active = {}
    out = []
    points = sorted(events)
    for k, point in enumerate(points):
        for delta, name in events[point]:
            active[name] = active.get(name, 0) + delta
            if active[name] == 0:
                del active[name]
        if active and k + 1 < len(points):
            names = sorted(active, key=order.__getitem__)
            out.append((point, points[k + 1] - 1, names))
    return out


def make_input(path: Path, rows: int, seed: int = 1124):
    snap = ast.public()
    nets = [ipaddress.IPv4Network(p) for n in snap.tag_names() for p in snap.tag(n).ipv4()]
    rng = random.Random(seed)
    ntoa, pack = socket.inet_ntoa, struct.Struct("!I").pack
    ips = []
    for _ in range(rows):
        if rng.random() < 0.5:
            n = rng.choice(nets)
            ips.append(ntoa(pack(int(n.network_address) + rng.randrange(n.num_addresses))))
        else:
            ips.append(ntoa(pack(rng.getrandbits(32))))
    pq.write_table(pa.table({"ip": pa.array(ips, pa.string())}), path, row_group_size=1 << 17)


def timed(fn, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


# ---------------------------------------------------------------- Spark

IP_TO_INT = (
    "(cast(split(ip, '[.]')[0] as bigint) * 16777216 + cast(split(ip, '[.]')[1] as bigint) * 65536"
    " + cast(split(ip, '[.]')[2] as bigint) * 256 + cast(split(ip, '[.]')[3] as bigint))"
)


def bench_spark(path: Path, rows: int, repeat: int, results: list):
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("azure-service-tags-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.autoBroadcastJoinThreshold", str(512 << 20))
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "65536")
        .config("spark.jars", os.environ.get("AZURE_SERVICE_TAGS_JAR", ""))
        .config("spark.sql.catalog.azure", "azureservicetags.spark.AzureCatalog")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    import azure_service_tags.spark as azs

    fns = azs.register(spark, native=False)
    snap = ast.public()
    ranges = service_ranges(snap)
    intervals = tag_intervals(snap)
    df = spark.read.parquet(str(path)).select(F.monotonically_increasing_id().alias("id"), "ip").cache()
    df.count()

    def run(out):
        out.write.format("noop").mode("overwrite").save()

    # Ours.
    ours_owned = df.select("id", fns.owned_by("ip", SERVICE).alias("v"))
    ours_owned_sql = df.select("id", fns.owned_by("ip", F.lit(SERVICE)).alias("v"))
    ours_tags = df.select("id", fns.tags_containing("ip").alias("v"))

    # (i) Python UDF with ipaddress + bisect, Arrow-batched.
    starts = [r[0] for r in ranges]
    ends = [r[1] for r in ranges]

    @F.udf(returnType=T.BooleanType(), useArrow=True)
    def py_owned(ip):
        a = int(ipaddress.IPv4Address(ip))
        i = bisect.bisect_right(starts, a) - 1
        return i >= 0 and a <= ends[i]

    i_starts = [r[0] for r in intervals]
    i_ends = [r[1] for r in intervals]
    i_tags = [r[2] for r in intervals]

    @F.udf(returnType=T.ArrayType(T.StringType()), useArrow=True)
    def py_tags(ip):
        a = int(ipaddress.IPv4Address(ip))
        i = bisect.bisect_right(i_starts, a) - 1
        return i_tags[i] if i >= 0 and a <= i_ends[i] else []

    aml_nets = [ipaddress.ip_network(p) for name in snap.tag_names()
                if snap.tag(name).service == SERVICE for p in snap.tag(name).ipv4()]

    @F.udf(returnType=T.BooleanType())
    def plain_owned(ip):
        a = ipaddress.ip_address(ip)
        return any(a in n for n in aml_nets)

    udf_owned = df.select("id", py_owned("ip").alias("v"))
    # The plain UDF is slow: it is timed on the first rows only (rows/s still compare).
    plain_rows = min(rows, 100_000)
    plain = df.where(F.col("id") < plain_rows).select("id", plain_owned("ip").alias("v"))
    udf_tags = df.select("id", py_tags("ip").alias("v"))

    # (ii) Broadcast range join, bucketed per /16.
    def bucketed(rows_, schema):
        out = []
        for r in rows_:
            for b in range(r[0] >> 16, (r[1] >> 16) + 1):
                out.append((b, *r))
        return spark.createDataFrame(out, schema)

    owned_ranges = bucketed(ranges, "b long, lo long, hi long")
    tag_ranges = bucketed([(s, e, t) for s, e, t in intervals], "b long, lo long, hi long, tags array<string>")
    with_int = df.select("id", F.expr(IP_TO_INT).alias("a")).withColumn("b", F.expr("a div 65536"))

    join_owned = (
        with_int.join(F.broadcast(owned_ranges), on=[with_int.b == owned_ranges.b, with_int.a >= owned_ranges.lo,
                                                     with_int.a <= owned_ranges.hi], how="left")
        .select("id", owned_ranges.lo.isNotNull().alias("v"))
    )
    join_tags = (
        with_int.join(F.broadcast(tag_ranges), on=[with_int.b == tag_ranges.b, with_int.a >= tag_ranges.lo,
                                                   with_int.a <= tag_ranges.hi], how="left")
        .select("id", F.coalesce(tag_ranges.tags, F.array().cast("array<string>")).alias("v"))
    )
    read_only = df.select("id", F.length("ip").alias("v"))

    @F.arrow_udf("boolean")
    def nothing(ips: pa.Array) -> pa.Array:
        return ips.is_null()

    trip_only = df.select("id", nothing("ip").alias("v"))

    # Same answers before timing.
    expected_owned = ours_owned.orderBy("id").toArrow()["v"].to_pylist()
    expected_tags = ours_tags.orderBy("id").toArrow()["v"].to_pylist()
    for name, frame, expected in [("udf owned", udf_owned, expected_owned), ("join owned", join_owned, expected_owned),
                                  ("SQL-literal owned", ours_owned_sql, expected_owned),
                                  ("udf tags", udf_tags, expected_tags), ("join tags", join_tags, expected_tags)]:
        got = frame.orderBy("id").toArrow()["v"].to_pylist()
        assert got == expected, f"Spark {name} disagrees with azure_service_tags"

    plain_expected = [v for v in expected_owned[:plain_rows]]
    assert plain.orderBy("id").toArrow()["v"].to_pylist() == plain_expected, "plain UDF disagrees"
    t_plain = timed(lambda: run(plain), 1)
    seconds = {}

    def once(frame, times):
        # Each peer is timed once, whichever rows of the table it appears in.
        if id(frame) not in seconds:
            seconds[id(frame)] = timed(lambda: run(frame), times)
        return seconds[id(frame)]

    floor = timed(lambda: run(read_only), repeat)
    trip = timed(lambda: run(trip_only), repeat)
    for question, ours, udf, join in [("owned_by (service bound)", ours_owned, udf_owned, join_owned),
                                      ("owned_by (service as a SQL literal)", ours_owned_sql, udf_owned, join_owned),
                                      ("tags", ours_tags, udf_tags, join_tags)]:
        t_ours = timed(lambda: run(ours), repeat)
        t_udf = once(udf, max(1, repeat // 2))
        t_join = once(join, repeat)
        peers = {"Python UDF (ipaddress + bisect, Arrow)": rows / t_udf,
                 "broadcast range join (/16 buckets)": rows / t_join}
        if question.startswith("owned_by"):
            peers["plain Python UDF (`ip in network` for each network)"] = plain_rows / t_plain
        results.append(("Spark", question, rows / t_ours, peers))
    results.append(("Spark", "floor: read + no-op sink", rows / floor, {}))
    results.append(("Spark", "floor: an Arrow UDF that does nothing", rows / trip, {}))
    if os.environ.get("AZURE_SERVICE_TAGS_JAR"):
        python = {"owned_by": timed(lambda: run(ours_owned), repeat), "tags": timed(lambda: run(ours_tags), repeat)}
        joins = {"owned_by": once(join_owned, repeat), "tags": once(join_tags, repeat)}
        answers = {"owned_by": expected_owned, "tags": expected_tags}
        bench_spark_jvm(spark, df, run, (rows, repeat, floor), (python, joins, answers), results)
    spark.stop()


def bench_spark_jvm(spark, df, run, setup: tuple, peers: tuple, results: list):
    """The jar's functions in the same session: the catalog's (static magic methods in
    whole-stage codegen) and the Java UDFs, against our Arrow UDFs, the range join and
    the scan alone (``length(ip)``), each checked to answer alike first."""
    from pyspark.sql import functions as F

    rows, repeat, floor = setup
    python, joins, answers = peers
    spark.udf.registerJavaFunction("jvm_owned_by", "azureservicetags.spark.Udfs$OwnedBy", "boolean")
    spark.udf.registerJavaFunction("jvm_tags", "azureservicetags.spark.Udfs$TagsContaining", "array<string>")
    calls = {
        ("Spark JVM, function catalog", "owned_by"): f"azure.owned_by(ip, '{SERVICE}')",
        ("Spark JVM, function catalog", "tags"): "azure.tags(ip)",
        ("Spark JVM, Java UDF", "owned_by"): f"jvm_owned_by(ip, '{SERVICE}')",
        ("Spark JVM, Java UDF", "tags"): "jvm_tags(ip)",
    }
    for (engine, question), call in calls.items():
        frame = df.select("id", F.expr(call).alias("v"))
        got = frame.orderBy("id").toArrow()["v"].to_pylist()
        assert got == answers[question], f"{engine} {question} disagrees with the Arrow UDF"
        t = timed(lambda: run(frame), repeat)
        results.append((engine, question, rows / t, {
            "our Python Arrow UDF": rows / python[question],
            "broadcast range join (/16 buckets)": rows / joins[question],
            "the scan alone (length(ip))": rows / floor,
        }))


# ---------------------------------------------------------------- pyarrow + NumPy

def bench_pyarrow(path: Path, rows: int, repeat: int, results: list):
    """The functions called directly on a pyarrow column, against the same question
    answered with pyarrow compute and NumPy (`searchsorted` on integer bounds)."""
    import numpy as np
    import pyarrow.compute as pc

    snap = ast.public()
    ranges = service_ranges(snap)
    intervals = tag_intervals(snap)
    ips = pq.read_table(path)["ip"].combine_chunks()
    starts = np.array([r[0] for r in ranges], dtype=np.int64)
    ends = np.array([r[1] for r in ranges], dtype=np.int64)
    i_starts = np.array([r[0] for r in intervals], dtype=np.int64)
    i_ends = np.array([r[1] for r in intervals], dtype=np.int64)
    i_tags = pa.array([r[2] for r in intervals], pa.list_(pa.string()))
    no_tags = pa.array([[]], pa.list_(pa.string())).take(pa.array(np.zeros(len(ips), dtype=np.int64)))
    pa.set_cpu_count(1)

    def as_int():
        parts = pc.split_pattern(ips, ".")
        a = np.zeros(len(ips), dtype=np.int64)
        for k, scale in enumerate([16777216, 65536, 256, 1]):
            a += pc.cast(pc.list_element(parts, k), pa.int64()).to_numpy() * scale
        return a

    def peer_owned():
        a = as_int()
        i = np.searchsorted(starts, a, side="right") - 1
        return pa.array((i >= 0) & (a <= ends[np.maximum(i, 0)]))

    def peer_tags():
        a = as_int()
        i = np.searchsorted(i_starts, a, side="right") - 1
        inside = (i >= 0) & (a <= i_ends[np.maximum(i, 0)])
        picked = i_tags.take(pa.array(np.maximum(i, 0)))
        return pc.if_else(pa.array(inside), picked, no_tags)

    def ours_owned():
        return ast.owned_by_each(ips, SERVICE)

    def ours_tags():
        return ast.tags_containing_each(ips)

    assert ours_owned().to_pylist() == peer_owned().to_pylist()
    assert ours_tags().to_pylist() == peer_tags().to_pylist()
    for question, ours, peer in [("owned_by", ours_owned, peer_owned), ("tags", ours_tags, peer_tags)]:
        results.append(("pyarrow", question, rows / timed(ours, repeat),
                        {"pyarrow compute + NumPy searchsorted on integer bounds": rows / timed(peer, repeat)}))


# ---------------------------------------------------------------- Polars

# Polars' thread pool is sized once per process: each thread count runs in its own.
POLARS_THREADS_CHILD = """
import sys, time
import polars as pl
import azure_service_tags.polars as azp
path, repeat = sys.argv[1], int(sys.argv[2])
for question, expr in [("owned_by", pl.col("ip").pipe(azp.owned_by, "AzureMachineLearning")),
                       ("tags", pl.col("ip").pipe(azp.tags_containing))]:
    query = pl.scan_parquet(path).select(expr.alias("v"))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        query.collect(engine="streaming")
        best = min(best, time.perf_counter() - start)
    print(question, best)
"""


def bench_polars_threads(path: Path, rows: int, repeat: int, results: list):
    """The helpers in Polars' streaming engine, reading the Parquet file, with one thread
    and with two."""
    import subprocess

    rates = {}
    for threads in (1, 2):
        env = dict(os.environ, POLARS_MAX_THREADS=str(threads))
        out = subprocess.run([sys.executable, "-c", POLARS_THREADS_CHILD, str(path), str(repeat)],
                             env=env, check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            question, seconds = line.split()
            rates[(question, threads)] = rows / float(seconds)
    for question in ("owned_by", "tags"):
        results.append(("Polars streaming, 1 thread", question, rates[(question, 1)], {}))
        results.append(("Polars streaming, 2 threads", question, rates[(question, 2)],
                        {"itself on 1 thread": rates[(question, 1)]}))


def bench_polars(path: Path, rows: int, repeat: int, results: list):
    os.environ.setdefault("POLARS_MAX_THREADS", "1")
    import polars as pl

    import azure_service_tags.polars as azp

    snap = ast.public()
    ranges = service_ranges(snap)
    intervals = tag_intervals(snap)
    df = pl.read_parquet(path)
    owned_tbl = pl.DataFrame({"lo": [r[0] for r in ranges], "hi": [r[1] for r in ranges]},
                             schema={"lo": pl.Int64, "hi": pl.Int64})
    tags_tbl = pl.DataFrame({"lo": [r[0] for r in intervals], "hi": [r[1] for r in intervals],
                             "tags": [r[2] for r in intervals]},
                            schema={"lo": pl.Int64, "hi": pl.Int64, "tags": pl.List(pl.String)})
    parts = pl.col("ip").str.split(".")
    as_int = (parts.list.get(0).cast(pl.Int64) * 16777216 + parts.list.get(1).cast(pl.Int64) * 65536
              + parts.list.get(2).cast(pl.Int64) * 256 + parts.list.get(3).cast(pl.Int64)).alias("a")

    def ours_owned():
        return df.select(pl.col("ip").pipe(azp.owned_by, SERVICE).alias("v"))

    def ours_tags():
        return df.select(pl.col("ip").pipe(azp.tags_containing).alias("v"))

    starts = pl.Series([r[0] for r in ranges], dtype=pl.Int64)
    ends = pl.Series([r[1] for r in ranges], dtype=pl.Int64)
    i_starts = pl.Series([r[0] for r in intervals], dtype=pl.Int64)
    i_ends = pl.Series([r[1] for r in intervals], dtype=pl.Int64)
    i_tags = pl.Series([r[2] for r in intervals], dtype=pl.List(pl.String))

    def position(a: pl.Series, lows: pl.Series) -> pl.Series:
        # The last interval starting at or before each address (-1: none).
        return lows.search_sorted(a, side="right").cast(pl.Int64) - 1

    def asof_owned():
        a = df.select(as_int).to_series()
        i = position(a, starts)
        hi = ends.gather(i.clip(0, None))
        return pl.DataFrame({"v": (i >= 0) & (a <= hi)})

    def asof_tags():
        a = df.select(as_int).to_series()
        i = position(a, i_starts)
        j = i.clip(0, None)
        inside = (i >= 0) & (a <= i_ends.gather(j))
        tags = i_tags.gather(j)
        return pl.DataFrame({"v": tags}).select(
            pl.when(inside).then(pl.col("v")).otherwise(pl.lit([], dtype=pl.List(pl.String))).alias("v"))

    assert ours_owned()["v"].to_list() == asof_owned()["v"].to_list()
    assert ours_tags()["v"].to_list() == asof_tags()["v"].to_list()
    for question, ours, peer in [("owned_by", ours_owned, asof_owned), ("tags", ours_tags, asof_tags)]:
        results.append(("Polars", question, rows / timed(ours, repeat),
                        {"binary search of integer bounds (search_sorted)": rows / timed(peer, repeat)}))


# ---------------------------------------------------------------- DuckDB

def bench_duckdb(path: Path, rows: int, repeat: int, results: list):
    import duckdb

    import azure_service_tags.duckdb as azd

    snap = ast.public()
    ranges = service_ranges(snap)
    intervals = tag_intervals(snap)
    con = duckdb.connect()
    con.execute("SET threads = 1")
    assert azd.register(con, native=False) == "python"
    con.execute(f"CREATE TABLE flows AS SELECT row_number() OVER () AS id, ip FROM read_parquet('{path}')")
    owned = pa.table({"lo": [r[0] for r in ranges], "hi": [r[1] for r in ranges]})
    tags = pa.table({"lo": [r[0] for r in intervals], "hi": [r[1] for r in intervals],
                     "tags": [r[2] for r in intervals]})
    con.register("owned_arrow", owned)
    con.register("tags_arrow", tags)
    con.execute("CREATE TABLE owned_ranges AS SELECT lo::BIGINT lo, hi::BIGINT hi FROM owned_arrow")
    con.execute("CREATE TABLE tag_ranges AS SELECT lo::BIGINT lo, hi::BIGINT hi, tags FROM tags_arrow")
    to_int = ("(split_part(ip, '.', 1)::BIGINT * 16777216 + split_part(ip, '.', 2)::BIGINT * 65536"
              " + split_part(ip, '.', 3)::BIGINT * 256 + split_part(ip, '.', 4)::BIGINT)")

    q_ours_owned = f"SELECT id, azure_owned_by(ip, '{SERVICE}') AS v FROM flows"
    q_ours_tags = "SELECT id, azure_tags_containing(ip) AS v FROM flows"
    q_asof_owned = (f"SELECT f.id, (r.hi IS NOT NULL AND f.a <= r.hi) AS v FROM (SELECT id, {to_int} AS a FROM flows) f "
                    "ASOF LEFT JOIN owned_ranges r ON f.a >= r.lo")
    q_asof_tags = (f"SELECT f.id, CASE WHEN f.a <= r.hi THEN r.tags ELSE []::VARCHAR[] END AS v "
                   f"FROM (SELECT id, {to_int} AS a FROM flows) f ASOF LEFT JOIN tag_ranges r ON f.a >= r.lo")

    def fetch(q):
        return con.sql(f"SELECT v FROM ({q}) ORDER BY id").fetchall()

    answers = {"owned_by": fetch(q_ours_owned), "tags": fetch(q_ours_tags)}
    assert answers["owned_by"] == fetch(q_asof_owned)
    assert answers["tags"] == fetch(q_asof_tags)

    def run(q):
        return lambda: con.sql(f"SELECT count(v) FROM ({q})").fetchall()

    rates = {}
    for question, ours, peer in [("owned_by", q_ours_owned, q_asof_owned), ("tags", q_ours_tags, q_asof_tags)]:
        rates[question] = rows / timed(run(ours), repeat)
        results.append(("DuckDB", question, rates[question],
                        {"ASOF join on integer bounds": rows / timed(run(peer), repeat)}))
    extension = os.environ.get("AZURE_SERVICE_TAGS_DUCKDB_EXTENSION")
    if extension:
        bench_duckdb_extension(extension, path, rows, repeat, (rates, answers), results)


def bench_duckdb_extension(extension: str, path: Path, rows: int, repeat: int, udf: tuple, results: list):
    """The native extension against the Python UDFs (``udf``: their one-thread rates and
    their answers, which the extension's must equal), on one thread and on two."""
    udf, answers = udf
    import duckdb

    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.execute(f"LOAD '{extension}'")
    con.execute(f"CREATE TABLE flows AS SELECT row_number() OVER () AS id, ip FROM read_parquet('{path}')")
    calls = {"owned_by": f"azure_owned_by(ip, '{SERVICE}')", "tags": "azure_tags_containing(ip)"}
    for question, call in calls.items():
        got = con.sql(f"SELECT {call} AS v FROM flows ORDER BY id").fetchall()
        assert got == answers[question], f"the extension's {question} differs from the UDF's"
        q = f"SELECT {call} AS v FROM flows"
        one = None
        for threads in (1, 2):
            con.execute(f"SET threads = {threads}")
            rate = rows / timed(lambda: con.sql(f"SELECT count(v) FROM ({q})").fetchall(), repeat)
            peers = {"Python UDF, 1 thread": udf[question]}
            if one is not None:
                peers["itself on 1 thread"] = one
            one = one or rate
            results.append((f"DuckDB extension, {threads} thread{'s' * (threads > 1)}", question, rate, peers))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", default="pyarrow,polars,duckdb,spark")
    args = parser.parse_args()
    results: list = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "flows.parquet"
        make_input(path, args.rows)
        engines = args.engines.split(",")
        if "pyarrow" in engines:
            bench_pyarrow(path, args.rows, args.repeat, results)
        if "polars" in engines:
            bench_polars_threads(path, args.rows, args.repeat, results)
            bench_polars(path, args.rows, args.repeat, results)
        if "duckdb" in engines:
            bench_duckdb(path, args.rows, args.repeat, results)
        if "spark" in engines:
            bench_spark(path, args.rows, args.repeat, results)
    print(f"\n{args.rows:,} IPv4 strings, one core unless a row names its threads, best of "
          f"{args.repeat}; service {SERVICE}\n")
    print("| engine | question | azure_service_tags rows/s | peer | peer rows/s | ratio |")
    print("| --- | --- | ---: | --- | ---: | ---: |")
    for engine, question, ours, peers in results:
        if not peers:
            print(f"| {engine} | {question} | {ours / 1e6:.2f} M | | | |")
        for peer, theirs in peers.items():
            print(f"| {engine} | {question} | {ours / 1e6:.2f} M | {peer} | {theirs / 1e6:.3f} M | {ours / theirs:.1f}x |")


if __name__ == "__main__":
    main()
