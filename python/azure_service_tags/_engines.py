"""What the engine glue shares: the crate's table of per-row functions
(:data:`FUNCTIONS`), which every engine's registration loops over; checking ``errors=``
where the functions are made; a service given per row (SQL passes a literal as a column)
answered per distinct value; and the compiled-in cloud a ``snapshot=`` names."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Callable, Optional

import pyarrow as pa
import pyarrow.compute as pc

from . import SnapshotSpec, resolve_snapshot
from ._native import ROW_FUNCTIONS


@dataclass(frozen=True)
class RowFunction:
    """One per-row function of the crate's table: ``name(ip)`` or, when
    ``takes_service``, ``name(ip, service)``; ``returns`` is ``"tags"``, ``"owned"`` or
    ``"tag_and_region"``, and ``spark_type`` its type in Spark SQL."""

    name: str
    takes_service: bool
    returns: str
    spark_type: str
    doc: str
    deprecated_names: "tuple[str, ...]"

    def names(self) -> "tuple[str, ...]":
        """The name, then the deprecated ones."""
        return (self.name, *self.deprecated_names)

    def answer(self, snap: Any, ips: Any, services: Any = None, *, errors: str) -> pa.Array:
        """The function over a column of addresses (and a service, or a column of them),
        by the snapshot's ``<name>_each``."""
        each = getattr(snap, f"{self.name}_each")
        if not self.takes_service:
            return each(ips, errors=errors)
        return by_service(lambda i, s: each(i, s, errors=errors), ips, services)


#: Every per-row function, from the crate's table.
FUNCTIONS = tuple(
    RowFunction(name, takes_service, returns, spark_type, doc, tuple(old))
    for name, takes_service, returns, spark_type, doc, old in ROW_FUNCTIONS
)


def embedded_cloud(snapshot: SnapshotSpec) -> Optional[str]:
    """The short name of the compiled-in cloud ``snapshot`` names (``None``: Public), or
    ``None`` when it is a snapshot loaded from a file."""
    return resolve_snapshot(snapshot).embedded_cloud


def checked(snap: Any, errors: str) -> Any:
    """``snap``, once ``errors=`` is known good: a bad value fails where the user made
    the functions, not later inside the engine."""
    snap.tags_containing_each(pa.array([], pa.string()), errors=errors)
    return snap


def deprecated(old: str, new: str) -> None:
    """Warns, from the caller's caller, that ``old`` is now ``new``."""
    warnings.warn(f"{old} is deprecated: use {new}", DeprecationWarning, stacklevel=3)


def by_service(answer: Callable[[Any, str], pa.Array], ips: Any, services: Any) -> pa.Array:
    """``answer(ips, service)`` where ``services`` is a string or a column of them:
    rows answer for their own service; a null service gives null."""
    if isinstance(services, str):
        return answer(ips, services)
    if isinstance(services, pa.ChunkedArray):
        services = services.combine_chunks()
    if isinstance(ips, pa.ChunkedArray):
        ips = ips.combine_chunks()
    distinct = pc.unique(services).drop_null()
    if len(distinct) == 1 and services.null_count == 0:
        return answer(ips, distinct[0].as_py())
    result = None
    for service in distinct.to_pylist():
        part = answer(ips, service)
        if result is None:
            result = pa.nulls(len(ips), part.type)
        result = pc.if_else(pc.equal(services, service), part, result)
    if result is None:
        raise ValueError("every row's service is null: there is no service to answer for")
    return result
