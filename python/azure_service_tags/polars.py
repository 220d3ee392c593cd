"""Polars expression helpers.

Example::

    import polars as pl, azure_service_tags.polars as azp
    df.with_columns(pl.col("ip").pipe(azp.owned_by, "AzureMachineLearning").alias("aml"))

Each helper maps whole batches (Series) through the crate via the Arrow PyCapsule
interface: no Python per row. The helpers are elementwise and the lookups release the
GIL, so Polars' streaming engine runs them on several batches at once.
"""

from __future__ import annotations

import polars as pl

from . import SnapshotSpec, resolve_snapshot
from ._engines import checked, deprecated

__all__ = ["owned_by", "service_match", "tags_containing"]


def tags_containing(
    expr: pl.Expr, *, snapshot: SnapshotSpec = None, errors: str = "raise"
) -> pl.Expr:
    """``List(String)``: the tags containing each address of ``expr``."""
    snap = checked(resolve_snapshot(snapshot), errors)
    return expr.map_batches(
        lambda s: pl.Series(s.name, snap.tags_containing_each(s, errors=errors)),
        return_dtype=pl.List(pl.String),
        is_elementwise=True,
    )


def tags(expr: pl.Expr, *, snapshot: SnapshotSpec = None, errors: str = "raise") -> pl.Expr:
    """Deprecated: :func:`tags_containing`."""
    deprecated("azure_service_tags.polars.tags", "tags_containing")
    return tags_containing(expr, snapshot=snapshot, errors=errors)


def owned_by(
    expr: pl.Expr, service: str, *, snapshot: SnapshotSpec = None, errors: str = "raise"
) -> pl.Expr:
    """``Boolean``: whether each address of ``expr`` is ``service``'s."""
    snap = checked(resolve_snapshot(snapshot), errors)
    return expr.map_batches(
        lambda s: pl.Series(s.name, snap.owned_by_each(s, service, errors=errors)),
        return_dtype=pl.Boolean,
        is_elementwise=True,
    )


def service_match(
    expr: pl.Expr, service: str, *, snapshot: SnapshotSpec = None, errors: str = "raise"
) -> pl.Expr:
    """``Struct({tag: String, region: String})``: the service's most specific tag
    containing each address, and its region; null where none does."""
    snap = checked(resolve_snapshot(snapshot), errors)
    return expr.map_batches(
        lambda s: pl.Series(s.name, snap.service_match_each(s, service, errors=errors)),
        return_dtype=pl.Struct({"tag": pl.String, "region": pl.String}),
        is_elementwise=True,
    )
