"""Which outbound flows went to Azure Machine Learning, and in which region?

A runnable version of the README's Spark example: it writes a small Parquet file shaped
like NSG flow logs flattened to one row per flow tuple (synthetic addresses, half of
them Azure's), then asks Spark SQL with the package's functions.

    target/python-venv/bin/python python/examples/spark_flow_logs.py [flows.parquet]
"""

from __future__ import annotations

import ipaddress
import os
import random
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import azure_service_tags as ast


def write_flow_logs(path: Path, rows: int = 100_000, seed: int = 42) -> None:
    """NSG flow log tuples: time, rule, src_ip, dst_ip, ports, protocol, direction,
    decision. Destinations are Azure addresses (Machine Learning, Storage, anything
    in AzureCloud) or random."""
    snap = ast.public()
    pools = {
        name: [ipaddress.ip_network(p) for p in snap.tag(name).ipv4()]
        for name in ["AzureMachineLearning", "Storage", "AzureCloud"]
    }
    rng = random.Random(seed)

    def inside(networks):
        n = rng.choice(networks)
        return str(n.network_address + rng.randrange(n.num_addresses))

    dst = []
    for _ in range(rows):
        pick = rng.random()
        if pick < 0.2:
            dst.append(inside(pools["AzureMachineLearning"]))
        elif pick < 0.4:
            dst.append(inside(pools["Storage"]))
        elif pick < 0.5:
            dst.append(inside(pools["AzureCloud"]))
        else:
            dst.append(str(ipaddress.IPv4Address(rng.getrandbits(32))))
    table = pa.table(
        {
            "time": pa.array([1_763_950_000 + i for i in range(rows)], pa.int64()),
            "rule": ["DefaultRule_AllowInternetOutBound"] * rows,
            "src_ip": [f"10.0.{rng.randrange(4)}.{rng.randrange(1, 255)}" for _ in range(rows)],
            "dst_ip": dst,
            "src_port": pa.array([rng.randrange(1024, 65536) for _ in range(rows)], pa.int32()),
            "dst_port": pa.array([443] * rows, pa.int32()),
            "protocol": ["T"] * rows,
            "direction": ["O"] * rows,
            "decision": ["A"] * rows,
        }
    )
    pq.write_table(table, path)


def aml_flows_by_region(spark, path: Path):
    """Outbound flows to Azure Machine Learning, counted per destination region."""
    import azure_service_tags.spark

    azure_service_tags.spark.register(spark)
    spark.read.parquet(str(path)).createOrReplaceTempView("flows")
    return spark.sql(
        """
        SELECT azure_service_match(dst_ip, 'AzureMachineLearning').region AS region,
               count(*) AS flows
        FROM flows
        WHERE direction = 'O' AND azure_owned_by(dst_ip, 'AzureMachineLearning')
        GROUP BY 1 ORDER BY flows DESC, region
        """
    )


def main() -> None:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp) / "flows.parquet"
        if not path.exists():
            write_flow_logs(path)
        spark = SparkSession.builder.master("local[2]").getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
        aml_flows_by_region(spark, path).show(80, truncate=False)
        spark.stop()


if __name__ == "__main__":
    main()
