"""What the engine glue shares: checking ``errors=`` where the functions are made, and
a service given per row (SQL passes a literal as a column) answered per distinct
value."""

from __future__ import annotations

import warnings
from typing import Any, Callable

import pyarrow as pa
import pyarrow.compute as pc


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
