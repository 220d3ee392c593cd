"""The Python UDFs of one Spark version (the pyspark installed here, run by
scripts/test-spark-versions.sh): register(spark, native=False) makes pandas_udfs before
Spark 4.1, and they answer as the package's scalar API on addresses inside and outside
Azure, nulls and bad values, on string, bigint and binary columns. The jar's entry
points are test_spark_jvm.py's, which that script runs in the same version."""

from __future__ import annotations

import ipaddress
import sys

import pyspark
from pyspark.sql import SparkSession

import azure_service_tags as ast
import azure_service_tags.spark as azs

SERVICE = "AzureMachineLearning"


def addresses() -> "list[str]":
    snap = ast.public()
    inside = [str(ipaddress.ip_network(p)[-1]) for name in snap.tag_names() if name.startswith(SERVICE)
              for p in (snap.tag(name).ipv4()[:1] + snap.tag(name).ipv6()[:1])]
    return inside[:40] + ["192.0.2.1", "2001:db8::1", f"::ffff:{inside[0]}"]


def check(ips, snap, rows) -> None:
    """Each row's t (tags), o (owned_by) and m (service_match) are the scalar API's
    answers for the address of the same position; null for null."""
    for ip, r in zip(ips, rows, strict=True):
        if ip is None:
            assert (r.t, r.o, r.m) == (None, None, None)
            continue
        hit = snap.service_match(ip, SERVICE)
        assert list(r.t) == [t.name for t in snap.tags_containing(ip)], ip
        assert r.o is (hit is not None), ip
        assert (r.m and (r.m.tag, r.m.region)) == (hit and (hit.tag.name, hit.region and hit.region.name)), ip


def python_udfs(spark, ips, snap) -> str:
    """The Python UDFs of this Spark, without the jar; returns which they are."""
    fns = azs.register(spark, native=False, prefix="py_")
    major_minor = tuple(int(p) for p in pyspark.__version__.split(".")[:2])
    assert (fns.path, fns.udf_type) == ("python", "arrow_udf" if major_minor >= (4, 1) else "pandas_udf")
    rows = spark.sql(f"SELECT py_tags_containing(ip) AS t, py_owned_by(ip, '{SERVICE}') AS o, "
                     f"py_service_match(ip, '{SERVICE}') AS m FROM flows ORDER BY n").collect()
    check(ips + [None], snap, rows)
    # The DataFrame API (the service bound), on binary and bigint columns with nulls.
    v4 = [ip if ip and "." in ip and ":" not in ip else None for ip in ips + [None]]
    typed = spark.createDataFrame(
        [(i, ip and ipaddress.ip_address(ip).packed, ip and int(ipaddress.ip_address(ip))) for i, ip in enumerate(v4)],
        "n int, b binary, i bigint")
    for column in ("b", "i"):
        rows = typed.orderBy("n").select(fns.tags_containing(column).alias("t"), fns.owned_by(column, SERVICE).alias("o"),
                                         fns.service_match(column, SERVICE).alias("m")).collect()
        check(v4, snap, rows)
    try:
        spark.sql(f"SELECT py_owned_by('not an ip', '{SERVICE}')").collect()
        raise AssertionError("a bad value answered")
    except Exception as e:
        assert "not an ip" in str(e), e
    lenient = azs.register(spark, native=False, prefix="lenient_", errors="null")
    aml = addresses()[0]
    bad = spark.createDataFrame([("not an ip",), (aml,)], "ip string")
    assert [tuple(r) for r in bad.select(lenient.owned_by("ip", SERVICE), lenient.service_match("ip", SERVICE).tag)
            .collect()] == [(None, None), (True, snap.service_match(aml, SERVICE).tag.name)]
    assert spark.createDataFrame([], "ip string").select(fns.tags_containing("ip")).collect() == []
    return fns.udf_type


def main() -> int:
    spark = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    snap = ast.public()
    ips = addresses()
    frame = spark.createDataFrame([(i, ip) for i, ip in enumerate(ips)] + [(len(ips), None)], "n int, ip string")
    frame.createOrReplaceTempView("flows")
    kind = python_udfs(spark, ips, snap)
    print(f"spark {pyspark.__version__}: register(native=False) made {kind}s; "
          f"{len(ips)} addresses answered as the scalar API")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
