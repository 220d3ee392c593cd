"""DuckDB SQL functions over the crate: the native extension the package carries,
loaded into the connection's database and run on every DuckDB thread, or Python Arrow
UDFs (one thread) where it cannot load.

Example::

    import azure_service_tags.duckdb as azd
    con = azd.connect()                 # allows the (unsigned) extension, registers
    con.sql("SELECT azure_owned_by(ip, 'AzureMachineLearning') FROM 'flows.parquet'")

    con = duckdb.connect()              # a connection of your own
    azd.register(con)                   # -> "extension" or "python"

DuckDB allows an unsigned extension only when the database is opened with
``allow_unsigned_extensions``; :func:`connect` does that, and :func:`register` on a
connection opened without it takes the Python UDFs.
"""

from __future__ import annotations

import os
from typing import Any, Optional

import duckdb
import pyarrow as pa

from . import Snapshot, SnapshotSpec, resolve_snapshot
from ._engines import FUNCTIONS, RowFunction, checked

__all__ = ["connect", "extension_path", "register"]

_FILE = "azure_service_tags.duckdb_extension"
_EXTENSIONS = os.path.join(os.path.dirname(__file__), "duckdb_extension")


def extension_path(platform: Optional[str] = None) -> Optional[str]:
    """The path of the DuckDB extension this package carries for ``platform`` (DuckDB's
    name for it, as ``PRAGMA platform`` gives, such as ``linux_amd64``; default: the
    DuckDB installed here), or ``None`` when it carries none for that platform.

    For ``LOAD '<path>'`` in a database opened with ``allow_unsigned_extensions``.
    """
    if platform is None:
        platform = duckdb.connect().sql("PRAGMA platform").fetchall()[0][0]
    path = os.path.join(_EXTENSIONS, platform, _FILE)
    return path if os.path.isfile(path) else None


def connect(database: str = ":memory:", *, read_only: bool = False,
            config: Optional[dict] = None, **options: Any) -> "duckdb.DuckDBPyConnection":
    """``duckdb.connect`` with ``allow_unsigned_extensions`` set, then :func:`register`
    with ``options`` (``snapshot=``, ``prefix=``, ``errors=``, ``native=``)."""
    config = {**(config or {}), "allow_unsigned_extensions": "true"}
    con = duckdb.connect(database, read_only=read_only, config=config)
    register(con, **options)
    return con


def register(
    con: "duckdb.DuckDBPyConnection",
    *,
    snapshot: SnapshotSpec = None,
    prefix: str = "azure_",
    errors: str = "error",
    native: Optional[bool] = None,
) -> str:
    """Adds each per-row function of the crate's table to ``con`` as ``{prefix}<name>``
    (``{prefix}tags_containing(ip)``, ``{prefix}owned_by(ip, service)``,
    ``{prefix}service_match(ip, service)``), and each under its deprecated names
    (``{prefix}tags``). Answers which functions it added: ``"extension"`` or
    ``"python"``.

    The extension (``native=None``, the default: where it loads; ``True``: it or an error
    saying why not; ``False``: never) also takes ``BIGINT``, ``UBIGINT`` and ``BLOB``
    addresses and adds the table functions; ``snapshot=`` and ``errors=`` become the
    database's settings (``CALL azure_settings()`` shows them), shared by every
    connection to it. The Python UDFs take ``VARCHAR`` and belong to ``con``.

    ``errors="null"`` answers null for values that are not addresses instead of failing
    the query.
    """
    snap = checked(resolve_snapshot(snapshot), errors)
    if native is not False:
        why = _load_extension(con, snapshot, errors, prefix)
        if why is None:
            return "extension"
        if native:
            raise RuntimeError(f"the DuckDB extension cannot be used here: {why}")
    _register_udfs(con, snap, prefix, errors)
    return "python"


def _load_extension(con: Any, snapshot: SnapshotSpec, errors: str, prefix: str) -> Optional[str]:
    """Loads the extension into ``con``'s database with these settings; ``None`` when it
    did, else why not."""
    try:
        platform = con.sql("PRAGMA platform").fetchall()[0][0]
    except duckdb.Error as e:
        return f"DuckDB {duckdb.__version__} does not name its platform ({e})"
    path = extension_path(platform)
    if path is None:
        return f"this package carries no extension for {platform}"
    allowed = con.sql("SELECT current_setting('allow_unsigned_extensions')").fetchall()[0][0]
    if str(allowed).lower() not in ("true", "1"):
        return ("the database was opened without allow_unsigned_extensions "
                "(azure_service_tags.duckdb.connect() opens one with it)")
    try:
        con.execute("LOAD '{}'".format(path.replace("'", "''")))
    except duckdb.Error as e:
        return str(e)
    # The cloud's name, or the path the snapshot was loaded from.
    snap = resolve_snapshot(snapshot)
    spec = snap.embedded_cloud or snap.path
    con.execute("CALL azure_settings(errors := ?, snapshot := ?)", [errors, spec])
    if prefix != "azure_":
        for f in FUNCTIONS:
            args = "ip, service" if f.takes_service else "ip"
            for name in f.names():
                con.execute(f"CREATE OR REPLACE TEMP MACRO {prefix}{name}({args}) AS "
                            f"azure_{name}({args})")
    return None


def _register_udfs(con: Any, snap: Snapshot, prefix: str, errors: str) -> None:
    """The Python Arrow UDFs, on ``con``."""
    try:
        from duckdb import sqltypes as t
    except ImportError:  # DuckDB before 1.4
        from duckdb import typing as t  # type: ignore[no-redef]

    varchar = t.VARCHAR
    types = {
        "tags": duckdb.list_type(varchar),
        "owned": t.BOOLEAN,
        "tag_and_region": duckdb.struct_type({"tag": varchar, "region": varchar}),
    }
    common = {"type": "arrow", "null_handling": "special", "side_effects": False}
    for f in FUNCTIONS:
        params = [varchar, varchar] if f.takes_service else [varchar]
        for name in f.names():
            con.create_function(f"{prefix}{name}", _udf(f, snap, errors), params, types[f.returns], **common)


def _udf(f: RowFunction, snap: Snapshot, errors: str) -> Any:
    """``f`` as a DuckDB Arrow UDF: a function of exactly its columns (DuckDB counts its
    parameters)."""
    if f.takes_service:
        return lambda ips, services: f.answer(snap, ips, services, errors=errors)
    return lambda ips: f.answer(snap, ips, errors=errors)
