"""Spark SQL functions over the crate, as Arrow UDFs (Spark 4.1 or newer).

>>> import azure_service_tags.spark
>>> fns = azure_service_tags.spark.register(spark)
>>> spark.sql("SELECT azure_owned_by(ip, 'AzureMachineLearning') FROM flows")
>>> df.select(fns.owned_by("src_ip", lit("AzureMachineLearning")))

Spark hands each function a batch of rows as Arrow arrays and takes an Arrow array
back; the lookup runs in Rust with the GIL released. The snapshot is resolved once per
executor process (the compiled-in ones are static; a file is loaded on first use and
kept), not per batch, and each service's matcher is prepared once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import pyarrow as pa

from . import SnapshotSpec, Snapshot, resolve_snapshot
from ._engines import by_service

__all__ = ["Functions", "register"]


@dataclass(frozen=True)
class Functions:
    """The registered functions, for the DataFrame API (each takes columns)."""

    tags: Any
    owned_by: Any
    service_match: Any


def _portable(snapshot: SnapshotSpec) -> Optional[str]:
    """A snapshot reference that survives pickling to executors: a compiled-in name or
    a path (executors must see the same path)."""
    if snapshot is None or isinstance(snapshot, str):
        return snapshot
    if isinstance(snapshot, Snapshot):
        raise TypeError(
            "Spark executors cannot share a Snapshot object: pass 'public', "
            "'government', 'china' or the path of the file it was loaded from"
        )
    import os

    return os.fspath(snapshot)


def register(
    spark: Any, *, snapshot: SnapshotSpec = None, prefix: str = "azure_", errors: str = "raise"
) -> Functions:
    """Registers ``{prefix}tags(ip)``, ``{prefix}owned_by(ip, service)`` and
    ``{prefix}service_match(ip, service)`` as SQL functions of ``spark`` and returns
    them for the DataFrame API.

    ``ip`` may be a string, a ``bigint`` IPv4 or a 4/16-byte ``binary`` column.
    ``errors="null"`` answers null for values that are not addresses instead of failing
    the query.
    """
    from pyspark.sql.functions import arrow_udf

    spec = _portable(snapshot)

    @arrow_udf("array<string>")
    def tags(ips: pa.Array) -> pa.Array:
        return resolve_snapshot(spec).tags(ips, errors=errors)

    @arrow_udf("boolean")
    def owned_by(ips: pa.Array, services: pa.Array) -> pa.Array:
        snap = resolve_snapshot(spec)
        return by_service(lambda i, s: snap.owned_by(i, s, errors=errors), ips, services)

    @arrow_udf("struct<tag: string, region: string>")
    def service_match(ips: pa.Array, services: pa.Array) -> pa.Array:
        snap = resolve_snapshot(spec)
        return by_service(lambda i, s: snap.service_match(i, s, errors=errors), ips, services)

    registered = Functions(
        tags=spark.udf.register(f"{prefix}tags", tags),
        owned_by=spark.udf.register(f"{prefix}owned_by", owned_by),
        service_match=spark.udf.register(f"{prefix}service_match", service_match),
    )
    return registered
