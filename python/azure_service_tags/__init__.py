"""Azure IP Ranges and Service Tags, compiled in: which tags contain an IP, is it a
service's (and in which region), the user-defined routes for a region and its pair.

Every answer comes from the Rust crate ``azure-service-tags``, under the crate's names.
One-address lookups go through a :class:`Snapshot` (``public()``, ``government()``,
``china()``, or ``Snapshot.from_path(file)``): ``tags_containing(ip)``,
``service_match(ip, service)``. Their column forms end in ``_each``:
``tags_containing_each``, ``service_match_each`` and ``owned_by_each`` take a column of
addresses through the Arrow PyCapsule interface (pyarrow, Polars, DuckDB) and return a
pyarrow array, zero-copy in and out.

>>> import pyarrow as pa, azure_service_tags as ast
>>> ast.public().service_match("20.41.0.241", "AzureMachineLearning").region.name
'eastus2'
>>> ast.owned_by_each(pa.array(["20.41.0.241", "192.0.2.1", None]), "AzureMachineLearning").to_pylist()
[True, False, None]

Engines: :mod:`azure_service_tags.spark`, :mod:`azure_service_tags.polars`,
:mod:`azure_service_tags.duckdb`, each installed with its extra
(``pip install azure-service-tags[duckdb]``) and imported on first use, so
``azure_service_tags.polars.owned_by`` works after ``import azure_service_tags``. The
engines' functions answer per row, so they carry the one-address names
(``azure_tags_containing``, ``azure_owned_by``, ``azure_service_match`` in SQL).
"""

from __future__ import annotations

import importlib
import os
import warnings
from typing import TYPE_CHECKING, Any, Union

from ._native import (
    TAG_PROPERTIES,
    Match,
    NotFoundError,
    Region,
    RouteError,
    Snapshot,
    SnapshotError,
    Tag,
    china,
    government,
    public,
)

if TYPE_CHECKING:
    import pyarrow as pa

#: The engine modules, imported when first named (PEP 562): importing the package
#: does not import Spark, Polars or DuckDB.
_ENGINES = ("duckdb", "polars", "spark")

__all__ = [
    "TAG_PROPERTIES",
    "Match",
    "NotFoundError",
    "Region",
    "RouteError",
    "Snapshot",
    "SnapshotError",
    "Tag",
    "china",
    "government",
    "owned_by_each",
    "public",
    "resolve_snapshot",
    "service_match",
    "service_match_each",
    "tags_containing_each",
]

#: What ``snapshot=`` accepts: a :class:`Snapshot`, the name of a compiled-in one
#: (``"public"``, ``"government"``, ``"china"``), or the path of an official
#: ``ServiceTags_*.json`` file or ``data/<cloud>/`` directory.
SnapshotSpec = Union[Snapshot, str, "os.PathLike[str]", None]



def __getattr__(name: str) -> Any:
    if name in _ENGINES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> "list[str]":
    return sorted(set(globals()) | set(_ENGINES))


def resolve_snapshot(snapshot: SnapshotSpec = None) -> Snapshot:
    """The snapshot that ``snapshot=`` names; the Public one for ``None``.

    A file is loaded once per process (and again only when it changes), so Spark
    executors and UDF batches share one copy.
    """
    if snapshot is None:
        return public()
    if isinstance(snapshot, Snapshot):
        return snapshot
    if isinstance(snapshot, (str, os.PathLike)):
        return Snapshot.named(os.fspath(snapshot))
    raise TypeError(
        "snapshot must be a Snapshot, 'public', 'government', 'china' or a path, "
        f"not {type(snapshot).__name__}"
    )


def tags_containing_each(
    ips: Any, *, snapshot: SnapshotSpec = None, errors: str = "error"
) -> "pa.Array":
    """``list<string>``: the names of the tags that contain each address.

    ``ips`` is a pyarrow array or chunked array, a Polars Series, a DuckDB result or
    anything with ``__arrow_c_array__`` / ``__arrow_c_stream__``, of IP strings, IPv4 as
    ``uint32`` (or ``int64``), or 4- or 16-byte binaries. Nulls give nulls; a value that
    is not an address raises ``ValueError`` naming its row, or gives null with
    ``errors="null"``.
    """
    return resolve_snapshot(snapshot).tags_containing_each(ips, errors=errors)


def owned_by_each(
    ips: Any, service: str, *, snapshot: SnapshotSpec = None, errors: str = "error"
) -> "pa.Array":
    """``bool``: whether each address is ``service``'s (its global or a regional tag),
    as :meth:`Snapshot.service_match` would find. Input and errors as
    :func:`tags_containing_each`."""
    return resolve_snapshot(snapshot).owned_by_each(ips, service, errors=errors)


def service_match_each(
    ips: Any, service: str, *, snapshot: SnapshotSpec = None, errors: str = "error"
) -> "pa.Array":
    """``struct<tag: string, region: string>``: the service's most specific tag that
    contains each address, and its region (null for the global tag); null where no tag
    of the service does. Input and errors as :func:`tags_containing_each`."""
    return resolve_snapshot(snapshot).service_match_each(ips, service, errors=errors)


def service_match(
    ip: Any, service: str, *, snapshot: SnapshotSpec = None, errors: str = "error"
) -> Any:
    """The service's most specific tag containing one address (``str`` or
    ``ipaddress`` object) and its region, as a :class:`Match`, or ``None``. (Given a
    column, it warns and answers as :func:`service_match_each`.)"""
    if hasattr(ip, "__arrow_c_array__") or hasattr(ip, "__arrow_c_stream__"):
        warnings.warn(
            "azure_service_tags.service_match(column) is deprecated: use service_match_each",
            DeprecationWarning,
            stacklevel=2,
        )
        return service_match_each(ip, service, snapshot=snapshot, errors=errors)
    return resolve_snapshot(snapshot).service_match(ip, service, errors=errors)


def tags(ips: Any, *, snapshot: SnapshotSpec = None, errors: str = "error") -> "pa.Array":
    """Deprecated: :func:`tags_containing_each`."""
    warnings.warn(
        "azure_service_tags.tags is deprecated: use tags_containing_each",
        DeprecationWarning,
        stacklevel=2,
    )
    return tags_containing_each(ips, snapshot=snapshot, errors=errors)


def owned_by(
    ips: Any, service: str, *, snapshot: SnapshotSpec = None, errors: str = "error"
) -> "pa.Array":
    """Deprecated: :func:`owned_by_each`."""
    warnings.warn(
        "azure_service_tags.owned_by is deprecated: use owned_by_each",
        DeprecationWarning,
        stacklevel=2,
    )
    return owned_by_each(ips, service, snapshot=snapshot, errors=errors)
