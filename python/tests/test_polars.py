"""Polars: expression helpers over the million-address file, against the CLI."""

from __future__ import annotations

import polars as pl
import pytest

import azure_service_tags as ast
import azure_service_tags.polars as azp
from conftest import SERVICE


def test_expressions_answer_as_the_cli(flows):
    df = (
        pl.scan_parquet(flows.path)
        .with_columns(
            pl.col("ip").pipe(azp.tags_containing).alias("tags"),
            pl.col("ip").pipe(azp.owned_by, SERVICE).alias("aml"),
            pl.col("ip").pipe(azp.service_match, SERVICE).alias("hit"),
        )
        .sort("row")
        .collect()
    )
    assert df.schema["tags"] == pl.List(pl.String)
    assert df.schema["aml"] == pl.Boolean
    assert df["tags"].to_list() == flows.tags
    assert df["aml"].to_list() == flows.owned
    assert df["hit"].to_list() == flows.match


def test_series_go_in_directly_and_other_columns_work(flows):
    df = pl.read_parquet(flows.path)
    assert ast.owned_by_each(df["ip"], SERVICE).to_pylist() == flows.owned
    by_bin = df.select(pl.col("ip_bin").pipe(azp.owned_by, SERVICE))
    assert by_bin.to_series().to_list() == flows.owned


def test_bad_input_in_polars():
    df = pl.DataFrame({"ip": ["20.41.0.241", None, "fe80::1%eth0"]})
    with pytest.raises(Exception, match="fe80::1%eth0"):
        df.select(pl.col("ip").pipe(azp.owned_by, SERVICE))
    out = df.select(pl.col("ip").pipe(azp.owned_by, SERVICE, errors="null"))
    assert out.to_series().to_list() == [True, None, None]
    with pytest.raises(ValueError, match="errors="):
        pl.col("ip").pipe(azp.tags_containing, errors="ignore")
    empty = pl.DataFrame({"ip": pl.Series([], dtype=pl.String)})
    assert empty.select(pl.col("ip").pipe(azp.tags_containing)).height == 0
