"""DuckDB SQL functions over the crate, as Arrow UDFs.

Example::

    import duckdb, azure_service_tags.duckdb
    con = duckdb.connect()
    azure_service_tags.duckdb.register(con)
    con.sql("SELECT azure_owned_by(ip, 'AzureMachineLearning') FROM 'flows.parquet'")

DuckDB hands each function a vector of rows as Arrow arrays; the lookup runs in Rust.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from . import SnapshotSpec, resolve_snapshot
from ._engines import by_service, checked

__all__ = ["register"]


def register(
    con: "duckdb.DuckDBPyConnection",
    *,
    snapshot: SnapshotSpec = None,
    prefix: str = "azure_",
    errors: str = "raise",
) -> None:
    """Adds ``{prefix}tags_containing(ip)``, ``{prefix}owned_by(ip, service)`` and
    ``{prefix}service_match(ip, service)`` (``ip`` a VARCHAR) to ``con``; also
    ``{prefix}tags``, the deprecated name of ``{prefix}tags_containing``.

    ``errors="null"`` answers null for values that are not addresses instead of failing
    the query.
    """
    try:
        from duckdb import sqltypes as t
    except ImportError:  # DuckDB before 1.4
        from duckdb import typing as t  # type: ignore[no-redef]

    snap = checked(resolve_snapshot(snapshot), errors)
    varchar = t.VARCHAR

    def tags(ips: Any) -> pa.Array:
        return snap.tags_containing_each(ips, errors=errors)

    def owned_by(ips: Any, services: Any) -> pa.Array:
        return by_service(lambda i, s: snap.owned_by_each(i, s, errors=errors), ips, services)

    def service_match(ips: Any, services: Any) -> pa.Array:
        return by_service(lambda i, s: snap.service_match_each(i, s, errors=errors), ips, services)

    struct = duckdb.struct_type({"tag": varchar, "region": varchar})
    common = {"type": "arrow", "null_handling": "special", "side_effects": False}
    for name in (f"{prefix}tags_containing", f"{prefix}tags"):
        con.create_function(name, tags, [varchar], duckdb.list_type(varchar), **common)
    con.create_function(f"{prefix}owned_by", owned_by, [varchar, varchar], t.BOOLEAN, **common)
    con.create_function(
        f"{prefix}service_match", service_match, [varchar, varchar], struct, **common
    )
