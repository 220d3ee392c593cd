"""Spark Connect: a client session of a local Connect server (``remote("local[2]")``,
which pyspark starts in this process): register(spark) adds the package's jar with
addArtifacts and takes the JVM functions, whose answers on the million-address file are
the CLI's; the settings it passes choose the cloud and the errors rule and are restored;
native=False gives the Python UDFs, which answer there too."""

from __future__ import annotations

import os
import sys

import pytest
from pyspark.sql import SparkSession

import azure_service_tags as ast
import azure_service_tags.spark as azs
from conftest import AML_IP, SERVICE


@pytest.fixture(scope="module")
def spark():
    # The server's Python workers must be this interpreter, which has the package.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = SparkSession.builder.remote("local[2]").config("spark.sql.shuffle.partitions", "4").getOrCreate()
    assert azs._is_connect(session)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def fns(spark):
    return azs.register(spark)


def test_register_adds_the_jar_and_answers_as_the_cli(spark, fns, flows, capsys):
    assert fns.path == "jvm"
    frame = spark.read.parquet(str(flows.path))
    frame.createOrReplaceTempView("flows")
    sql = spark.sql(f"SELECT azure_tags_containing(ip) AS t, azure_owned_by(ip, '{SERVICE}') AS o, "
                    f"azure_service_match(ip, '{SERVICE}') AS m FROM flows ORDER BY row").toArrow()
    assert sql["t"].to_pylist() == flows.tags
    assert sql["o"].to_pylist() == flows.owned
    assert sql["m"].to_pylist() == flows.match
    api = frame.orderBy("row").select(fns.owned_by("ip", SERVICE).alias("o"),
                                      fns.service_match("ip_bin", SERVICE).alias("m"))
    api.explain()
    assert "static_invoke(azureservicetags" in capsys.readouterr().out
    rows = api.toArrow()
    assert rows["o"].to_pylist() == flows.owned
    assert rows["m"].to_pylist() == flows.match


def test_the_settings_choose_the_cloud_and_the_errors_rule(spark, fns):
    gov = azs.register(spark, snapshot="government", prefix="gov_", errors="null")
    assert gov.path == "jvm"
    snap = ast.government()
    tag = next(snap.tag(n) for n in snap.tag_names() if snap.tag(n).ipv4())
    ip = tag.ipv4()[0].split("/")[0]
    row = spark.sql(f"SELECT gov_owned_by('not an ip', 'AzureCloud') AS bad, gov_tags_containing('{ip}') AS t, "
                    f"gov_owned_by('{ip}', '{tag.service}') AS o").collect()[0]
    assert (row.bad, list(row.t), row.o) == (None, [t.name for t in snap.tags_containing(ip)], True)
    assert spark.conf.get("spark.azureservicetags.snapshot", None) is None
    # The Public functions registered before still fail on a bad value, naming it.
    with pytest.raises(Exception, match="not an ip"):
        spark.sql("SELECT azure_owned_by('not an ip', 'AzureCloud')").collect()
    # A bad setting is named by the first query (Spark drops a constructor's message).
    spark.conf.set("spark.azureservicetags.errors", "ignore")
    try:
        spark.udf.registerJavaFunction("x_owned_by", "azureservicetags.spark.Udfs$OwnedBy", "boolean")
    finally:
        spark.conf.unset("spark.azureservicetags.errors")
    with pytest.raises(Exception, match="spark.azureservicetags.errors must be error or null, not ignore"):
        spark.sql(f"SELECT x_owned_by('{AML_IP}', 'AzureCloud')").collect()


def test_native_false_gives_the_python_udfs(spark):
    py = azs.register(spark, native=False, prefix="py_")
    assert (py.path, py.udf_type) == ("python", "arrow_udf")
    rows = spark.sql(f"SELECT py_owned_by(ip, '{SERVICE}') AS o FROM VALUES ('{AML_IP}'), ('192.0.2.1'), "
                     "(NULL) AS v(ip)").collect()
    assert [r.o for r in rows] == [True, False, None]
