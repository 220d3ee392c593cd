"""The Spark jar the wheel carries in one Spark version (the pyspark installed here, run
by scripts/test-spark-versions.sh): register(spark) takes the jar when the session has
it, and the SQL names, the DataFrame API and the function catalog answer as the
package's scalar API on addresses inside and outside Azure, nulls and bad values."""

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
    return inside[:40] + ["192.0.2.1", "2001:db8::1", "::ffff:20.41.0.241"]


def main() -> int:
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.jars", azs.jar_path()).getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    fns = azs.register(spark)
    assert fns.path == "jvm", fns.path
    snap = ast.public()
    ips = addresses()
    frame = spark.createDataFrame([(i, ip) for i, ip in enumerate(ips)] + [(len(ips), None)], "n int, ip string")
    frame.createOrReplaceTempView("flows")
    rows = spark.sql(f"SELECT azure_tags_containing(ip) AS t, azure_owned_by(ip, '{SERVICE}') AS o, "
                     f"azure_service_match(ip, '{SERVICE}') AS m FROM flows ORDER BY n").collect()
    api = frame.orderBy("n").select(fns.owned_by("ip", SERVICE).alias("o"), fns.tags_containing("ip").alias("t"))
    plan = api._jdf.queryExecution().executedPlan().toString()
    # Spark 4 prints static_invoke(...), Spark 3.5 staticinvoke(class ...).
    assert "static_invoke(azureservicetags" in plan or "staticinvoke(class azureservicetags" in plan, plan
    for ip, r, a in zip(ips + [None], rows, api.collect()):
        if ip is None:
            assert (r.t, r.o, r.m, a.o, a.t) == (None,) * 5
            continue
        hit = snap.service_match(ip, SERVICE)
        assert list(r.t) == list(a.t) == [t.name for t in snap.tags_containing(ip)], ip
        assert r.o is a.o is (hit is not None), ip
        assert (r.m and (r.m.tag, r.m.region)) == (hit and (hit.tag.name, hit.region and hit.region.name)), ip
    try:
        spark.sql(f"SELECT azure_owned_by('not an ip', '{SERVICE}')").collect()
        raise AssertionError("a bad value answered")
    except Exception as e:  # the JVM's error, wrapped by the version's own exception class
        assert "not an ip" in str(e), e
    assert spark.sql(f"SELECT azure_owned_by('20.41.0.241', '{SERVICE}')").collect()[0][0] is True
    print(f"spark {pyspark.__version__}: register() took the jar; {len(ips)} addresses answered as the scalar API")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
