"""DuckDB: SQL functions over the million-address file, against the CLI."""

from __future__ import annotations

import duckdb
import pytest

import azure_service_tags.duckdb as azd
from conftest import SERVICE


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    azd.register(con)
    return con


def test_sql_functions_answer_as_the_cli(con, flows):
    rows = con.sql(
        f"""SELECT azure_tags_containing(ip), azure_owned_by(ip, '{SERVICE}'),
                   azure_service_match(ip, '{SERVICE}')
            FROM read_parquet('{flows.path}') ORDER BY row"""
    ).to_arrow_table()
    assert rows.column(0).to_pylist() == flows.tags
    assert rows.column(1).to_pylist() == flows.owned
    assert rows.column(2).to_pylist() == flows.match


def test_the_service_may_differ_per_row(con):
    rows = con.sql(
        """SELECT azure_owned_by(ip, svc) FROM (VALUES
             ('20.41.0.241', 'AzureMachineLearning'), ('20.41.0.241', 'Storage'),
             ('20.41.0.241', NULL), (NULL, 'Storage')) t(ip, svc)"""
    ).fetchall()
    assert [r[0] for r in rows] == [True, False, None, None]


def test_bad_input_in_duckdb(con):
    with pytest.raises(duckdb.Error, match="fe80::1%eth0"):
        con.sql("SELECT azure_owned_by('fe80::1%eth0', 'AzureMachineLearning')").fetchall()
    with pytest.raises(duckdb.Error, match="unknown service"):
        con.sql("SELECT azure_owned_by('1.1.1.1', 'NoSuchService')").fetchall()
    assert con.sql("SELECT azure_tags_containing(NULL)").fetchall() == [(None,)]
    assert con.sql("SELECT azure_tags_containing(ip) FROM (SELECT '1.1.1.1' AS ip) WHERE false").fetchall() == []
    lenient = duckdb.connect()
    azd.register(lenient, errors="null")
    assert lenient.sql("SELECT azure_owned_by('not an ip', 'AzureMachineLearning')").fetchall() == [(None,)]
    with pytest.raises(ValueError, match="errors="):
        azd.register(duckdb.connect(), errors="ignore")
    # The connection still works after a failed query.
    assert con.sql("SELECT azure_owned_by('20.41.0.241', 'AzureMachineLearning')").fetchall() == [(True,)]
