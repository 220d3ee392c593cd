"""Run in a fresh virtual environment that holds only the wheel and one extra
(``pip install azure_service_tags-*.whl[EXTRA]``): the engine's registration and one
query, compared with the package's scalar answers. Usage: ``python check_extra.py EXTRA``.
"""

import ipaddress
import sys

import azure_service_tags as ast

SERVICE = "AzureMachineLearning"


def addresses() -> "list[str]":
    """An address inside each of a few Machine Learning prefixes, and two outside."""
    snap = ast.public()
    inside = [
        str(ipaddress.ip_network(p)[-1])
        for name in snap.tag_names()
        if name.startswith(SERVICE + ".")
        for p in snap.tag(name).ipv4()[:1]
    ][:20]
    return inside + ["192.0.2.1", "198.51.100.7"]


def expected(ips: "list[str]") -> "list[tuple[bool, list[str]]]":
    snap = ast.public()
    return [
        (
            snap.service_match(ip, SERVICE) is not None,
            sorted(t.name for t in snap.tags_containing(ip)),
        )
        for ip in ips
    ]


def duckdb_rows(ips):
    """Through the extension the wheel carries, checked to answer as the Python UDFs."""
    import duckdb

    def rows(con):
        con.execute("CREATE TABLE flows AS SELECT unnest(?::VARCHAR[]) AS ip", [ips])
        rows = con.execute(
            f"SELECT azure_owned_by(ip, '{SERVICE}'), azure_tags_containing(ip) FROM flows ORDER BY rowid"
        ).fetchall()
        return [(owned, sorted(tags)) for owned, tags in rows]

    native = ast.duckdb.connect()
    assert native.sql("SELECT count(*) FROM azure_service_tags()").fetchall()[0][0] > 0
    python = duckdb.connect()
    assert ast.duckdb.register(python) == "python"
    got = rows(native)
    assert got == rows(python), "the extension and the Python UDFs disagree"
    return got


def polars_rows(ips):
    import polars as pl

    frame = pl.DataFrame({"ip": ips}).lazy().with_columns(
        pl.col("ip").pipe(ast.polars.owned_by, SERVICE).alias("owned"),
        pl.col("ip").pipe(ast.polars.tags_containing).alias("tags"),
    )
    out = frame.collect()
    return [(o, sorted(t)) for o, t in zip(out["owned"].to_list(), out["tags"].to_list())]


def spark_rows(ips):
    import pandas
    from pyspark.sql import SparkSession

    # The extra pins pandas 2, as the tests do: PySpark does not support pandas 3.
    assert int(pandas.__version__.split(".")[0]) < 3, pandas.__version__

    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    try:
        ast.spark.register(spark)
        spark.createDataFrame([(i, ip) for i, ip in enumerate(ips)], "n int, ip string").createOrReplaceTempView("flows")
        rows = spark.sql(
            f"SELECT azure_owned_by(ip, '{SERVICE}') AS owned, azure_tags_containing(ip) AS tags FROM flows ORDER BY n"
        ).collect()
        return [(r.owned, sorted(r.tags)) for r in rows]
    finally:
        spark.stop()


def main() -> int:
    extra = sys.argv[1]
    ips = addresses()
    got = {"duckdb": duckdb_rows, "polars": polars_rows, "spark": spark_rows}[extra](ips)
    want = expected(ips)
    assert got == want, f"{extra}: {got} != {want}"
    assert sum(owned for owned, _ in got) == len(ips) - 2, got
    print(f"extra {extra}: registration and query answered {len(ips)} addresses as the scalar API does")
    return 0


if __name__ == "__main__":
    sys.exit(main())
