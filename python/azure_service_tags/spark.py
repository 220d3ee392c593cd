"""Spark SQL functions over the crate, as Arrow UDFs (Spark 4.1 or newer).

Example::

    import azure_service_tags.spark
    fns = azure_service_tags.spark.register(spark)
    spark.sql("SELECT azure_owned_by(ip, 'AzureMachineLearning') FROM flows")
    df.select(fns.owned_by("src_ip", "AzureMachineLearning"))

Spark hands each function a batch of rows as Arrow arrays and takes an Arrow array
back; the lookup runs in Rust with the GIL released. The snapshot is resolved once per
executor process (the compiled-in ones are static; a file is loaded on first use and
kept), not per batch, and each service's matcher is prepared once per process.
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow as pa

from . import SnapshotSpec, Snapshot, resolve_snapshot
from ._engines import by_service, checked, deprecated

__all__ = ["Functions", "register"]


class Functions:
    """The registered functions, for the DataFrame API.

    ``service`` may be a column or a plain ``str``; with a ``str`` the service is bound
    into a one-argument UDF, so Spark does not ship the same text to Python with every
    row (12 to 32% faster than passing ``lit(service)`` in BENCHMARKS.md's runs).
    """

    def __init__(self, spec: Any, errors: str, tags: Any, owned_by: Any, service_match: Any):
        self._spec = spec
        self._errors = errors
        self._tags = tags
        self._owned_by = owned_by
        self._service_match = service_match
        self._bound: dict = {}

    def tags_containing(self, ip: Any) -> Any:
        """``array<string>``: the tags containing each address of ``ip``."""
        return self._tags(ip)

    def tags(self, ip: Any) -> Any:
        """Deprecated: :meth:`tags_containing`."""
        deprecated("Functions.tags", "tags_containing")
        return self._tags(ip)

    def owned_by(self, ip: Any, service: Any) -> Any:
        """``boolean``: whether each address of ``ip`` is ``service``'s."""
        if isinstance(service, str):
            return self._bind("owned_by", "boolean", service)(ip)
        return self._owned_by(ip, service)

    def service_match(self, ip: Any, service: Any) -> Any:
        """``struct<tag: string, region: string>``: the service's most specific tag
        containing each address, and its region."""
        if isinstance(service, str):
            return self._bind("service_match", "struct<tag: string, region: string>", service)(ip)
        return self._service_match(ip, service)

    def _bind(self, name: str, return_type: str, service: str) -> Any:
        key = (name, service)
        if key not in self._bound:
            from pyspark.sql.functions import arrow_udf

            spec, errors = self._spec, self._errors
            resolve_snapshot(spec).find_service(service)  # an unknown name fails here, not in Spark

            def answer(ips: pa.Array) -> pa.Array:
                each = getattr(resolve_snapshot(spec), f"{name}_each")
                return each(ips, service, errors=errors)

            answer.__annotations__ = {"ips": pa.Array, "return": pa.Array}
            self._bound[key] = arrow_udf(answer, return_type)
        return self._bound[key]


def _portable(snapshot: SnapshotSpec) -> Any:
    """What the UDFs take to the executors: a compiled-in name, a path, or a Snapshot
    (which pickles as its cloud or its path; executors must see the same path)."""
    if snapshot is None or isinstance(snapshot, (str, Snapshot)):
        return snapshot
    return os.fspath(snapshot)


def _register_as(spark: Any, names: "tuple[str, ...]", udf: Any) -> Any:
    """Registers ``udf`` under each name; returns the first registration."""
    first, *others = names
    for name in others:
        spark.udf.register(name, udf)
    return spark.udf.register(first, udf)


def register(
    spark: Any, *, snapshot: SnapshotSpec = None, prefix: str = "azure_", errors: str = "raise"
) -> Functions:
    """Registers ``{prefix}tags_containing(ip)``, ``{prefix}owned_by(ip, service)`` and
    ``{prefix}service_match(ip, service)`` as SQL functions of ``spark`` and returns
    them for the DataFrame API; also ``{prefix}tags``, the deprecated name of
    ``{prefix}tags_containing``.

    ``ip`` may be a string, a ``bigint`` IPv4 or a 4/16-byte ``binary`` column.
    ``errors="null"`` answers null for values that are not addresses instead of failing
    the query.
    """
    from pyspark.sql.functions import arrow_udf

    # A bad snapshot or errors= fails here, on the driver, not in the executors.
    checked(resolve_snapshot(snapshot), errors)
    spec = _portable(snapshot)

    @arrow_udf("array<string>")
    def tags(ips: pa.Array) -> pa.Array:
        return resolve_snapshot(spec).tags_containing_each(ips, errors=errors)

    @arrow_udf("boolean")
    def owned_by(ips: pa.Array, services: pa.Array) -> pa.Array:
        snap = resolve_snapshot(spec)
        return by_service(lambda i, s: snap.owned_by_each(i, s, errors=errors), ips, services)

    @arrow_udf("struct<tag: string, region: string>")
    def service_match(ips: pa.Array, services: pa.Array) -> pa.Array:
        snap = resolve_snapshot(spec)
        return by_service(lambda i, s: snap.service_match_each(i, s, errors=errors), ips, services)

    return Functions(
        spec,
        errors,
        tags=_register_as(spark, (f"{prefix}tags_containing", f"{prefix}tags"), tags),
        owned_by=spark.udf.register(f"{prefix}owned_by", owned_by),
        service_match=spark.udf.register(f"{prefix}service_match", service_match),
    )
