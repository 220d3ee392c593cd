"""Polars expression helpers, one per per-row function of the crate's table
(``tags_containing``, ``owned_by``, ``service_match``).

Example::

    import polars as pl, azure_service_tags.polars as azp
    df.with_columns(pl.col("ip").pipe(azp.owned_by, "AzureMachineLearning").alias("aml"))

Each helper maps whole batches (Series) through the crate via the Arrow PyCapsule
interface: no Python per row. The helpers are elementwise and the lookups release the
GIL, so Polars' streaming engine runs them on several batches at once.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import polars as pl

from . import SnapshotSpec, resolve_snapshot
from ._engines import FUNCTIONS, RowFunction, checked, deprecated

#: Each function's Polars type, by what it returns.
_DTYPES = {
    "tags": pl.List(pl.String),
    "owned": pl.Boolean,
    "tag_and_region": pl.Struct({"tag": pl.String, "region": pl.String}),
}


def _helper(f: RowFunction) -> Callable[..., pl.Expr]:
    """The helper of ``f``: ``f(expr[, service], *, snapshot=None, errors="error")``."""

    def helper(
        expr: pl.Expr,
        service: Optional[str] = None,
        *,
        snapshot: SnapshotSpec = None,
        errors: str = "error",
    ) -> pl.Expr:
        if f.takes_service and service is None:
            raise TypeError(f"{f.name}() needs a service")
        snap = checked(resolve_snapshot(snapshot), errors)
        return expr.map_batches(
            lambda s: pl.Series(s.name, f.answer(snap, s, service, errors=errors)),
            return_dtype=_DTYPES[f.returns],
            is_elementwise=True,
        )

    helper.__name__ = helper.__qualname__ = f.name
    helper.__doc__ = f"``{_DTYPES[f.returns]}``: {f.doc}."
    return helper


def _deprecated(old: str, f: RowFunction) -> Callable[..., pl.Expr]:
    """``old``, the former name of ``f``: warns, then answers as ``f``."""
    new = _helper(f)

    def helper(*args: Any, **kwargs: Any) -> pl.Expr:
        deprecated(f"azure_service_tags.polars.{old}", f.name)
        return new(*args, **kwargs)

    helper.__name__ = helper.__qualname__ = old
    helper.__doc__ = f"Deprecated: :func:`{f.name}`."
    return helper


def _define() -> None:
    """One helper per function of the table, and one per former name."""
    for f in FUNCTIONS:
        globals()[f.name] = _helper(f)
        for old in f.deprecated_names:
            globals()[old] = _deprecated(old, f)


_define()

__all__ = [f.name for f in FUNCTIONS]
