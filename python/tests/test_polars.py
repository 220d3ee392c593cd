"""Polars: expression helpers over the million-address file, against the CLI."""

from __future__ import annotations

import polars as pl
import pytest

import azure_service_tags as ast
import azure_service_tags.polars as azp
from conftest import AML_IP, SERVICE


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
    df = pl.DataFrame({"ip": [AML_IP, None, "fe80::1%eth0"]})
    with pytest.raises(Exception, match="fe80::1%eth0"):
        df.select(pl.col("ip").pipe(azp.owned_by, SERVICE))
    out = df.select(pl.col("ip").pipe(azp.owned_by, SERVICE, errors="null"))
    assert out.to_series().to_list() == [True, None, None]
    with pytest.raises(ValueError, match="errors must be 'error' or 'null'"):
        pl.col("ip").pipe(azp.tags_containing, errors="ignore")
    empty = pl.DataFrame({"ip": pl.Series([], dtype=pl.String)})
    assert empty.select(pl.col("ip").pipe(azp.tags_containing)).height == 0


def test_the_streaming_engine_runs_the_helpers_on_batches_at_once(flows, monkeypatch):
    """Elementwise and GIL-free, a helper runs on two batches at the same time when
    Polars has two threads: the calls into the crate overlap in time, on different
    threads, and the answers are those of a plain collect."""
    import threading
    import time

    if pl.thread_pool_size() < 2:
        pytest.skip("Polars has one thread here")
    calls = []
    lock = threading.Lock()

    class Recording:
        def __init__(self, snap):
            self.snap = snap

        def owned_by_each(self, *args, **kwargs):
            start = time.perf_counter()
            answer = self.snap.owned_by_each(*args, **kwargs)
            with lock:
                calls.append((threading.get_ident(), start, time.perf_counter()))
            return answer

    real = azp.checked
    monkeypatch.setattr(azp, "checked", lambda snap, errors: Recording(real(snap, errors)))
    query = pl.scan_parquet(flows.path).select(pl.col("ip").pipe(azp.owned_by, SERVICE))
    overlapping = False
    for _ in range(5):
        calls.clear()
        answers = query.collect(engine="streaming")["ip"].to_list()
        assert sorted(answers, key=str) == sorted(flows.owned, key=str)
        overlapping = any(
            a[0] != b[0] and a[1] < b[2] and b[1] < a[2]
            for i, a in enumerate(calls) for b in calls[i + 1:]
        )
        if overlapping:
            break
    assert len(calls) > 1, "the file was one batch"
    assert overlapping, f"no two of {len(calls)} calls ran at once"
