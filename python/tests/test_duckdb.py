"""DuckDB: SQL functions over the million-address file, against the CLI, through both
paths ``register`` takes: the extension the wheel carries (in a database that allows
it) and the Python UDFs (in one that does not)."""

from __future__ import annotations

import os

import duckdb
import pytest

import azure_service_tags as ast
import azure_service_tags.duckdb as azd
from conftest import AML_IP, SERVICE


def opened(path: str, **options):
    """A connection whose functions came by ``path``."""
    if path == "extension":
        con = azd.connect(**options)
    else:
        con = duckdb.connect()
        assert azd.register(con, **options) == "python"
    return con


@pytest.fixture(scope="module", params=["extension", "python"])
def path(request):
    return request.param


@pytest.fixture(scope="module")
def con(path):
    return opened(path)


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
        f"""SELECT azure_owned_by(ip, svc) FROM (VALUES
             ('{AML_IP}', 'AzureMachineLearning'), ('{AML_IP}', 'Storage'),
             ('{AML_IP}', NULL), (NULL, 'Storage')) t(ip, svc)"""
    ).fetchall()
    assert [r[0] for r in rows] == [True, False, None, None]


def test_bad_input_in_duckdb(con, path):
    with pytest.raises(duckdb.Error, match="fe80::1%eth0"):
        con.sql("SELECT azure_owned_by('fe80::1%eth0', 'AzureMachineLearning')").fetchall()
    with pytest.raises(duckdb.Error, match="unknown service"):
        con.sql("SELECT azure_owned_by('1.1.1.1', 'NoSuchService')").fetchall()
    assert con.sql("SELECT azure_tags_containing(NULL)").fetchall() == [(None,)]
    assert con.sql("SELECT azure_tags_containing(ip) FROM (SELECT '1.1.1.1' AS ip) WHERE false").fetchall() == []
    lenient = opened(path, errors="null")
    assert lenient.sql("SELECT azure_owned_by('not an ip', 'AzureMachineLearning')").fetchall() == [(None,)]
    with pytest.raises(ValueError, match="errors must be 'error' or 'null'"):
        azd.register(duckdb.connect(), errors="ignore")
    # The connection still works after a failed query.
    assert con.sql(f"SELECT azure_owned_by('{AML_IP}', 'AzureMachineLearning')").fetchall() == [(True,)]


def test_the_snapshot_and_the_prefix_are_kept(path):
    gov = ast.government()
    tag = next(gov.tag(n) for n in gov.tag_names() if gov.tag(n).ipv4())
    ip = tag.ipv4()[0].split("/")[0]
    con = opened(path, snapshot="Government", prefix="gov_")
    got = con.sql(f"SELECT gov_tags_containing('{ip}'), gov_owned_by('{ip}', '{tag.service}')").fetchall()
    assert got == [([t.name for t in gov.tags_containing(ip)], True)]
    fixture = os.path.join(os.path.dirname(__file__), "../../tests/fixtures/ServiceTags_Public_20990105.json")
    loaded = ast.Snapshot.from_path(fixture)
    tag = next(loaded.tag(n) for n in loaded.tag_names() if loaded.tag(n).ipv4())
    ip = tag.ipv4()[0].split("/")[0]
    con = opened(path, snapshot=fixture)
    got = con.sql(f"SELECT azure_tags_containing('{ip}')").fetchall()
    assert got == [([t.name for t in loaded.tags_containing(ip)],)]


def test_register_says_which_path_it_took_and_why_not():
    assert azd.register(duckdb.connect(), native=False) == "python"
    allowed = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    assert azd.register(allowed) == "extension"
    assert allowed.sql("SELECT azure_tags_containing(337117425::BIGINT)").fetchall() == \
        allowed.sql("SELECT azure_tags_containing('20.24.0.241')").fetchall()
    with pytest.raises(RuntimeError, match="allow_unsigned_extensions"):
        azd.register(duckdb.connect(), native=True)
    # A Snapshot object reaches the extension as its cloud, or as the path it was
    # loaded from.
    con = azd.connect(snapshot=ast.china(), native=True)
    assert ("snapshot", "china") in con.sql("CALL azure_settings()").fetchall()
    fixture = os.path.join(os.path.dirname(__file__), "../../tests/fixtures/ServiceTags_Public_20990105.json")
    fresh = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    loaded = ast.Snapshot.from_path(fixture)
    assert azd.register(fresh, snapshot=loaded) == "extension"
    assert os.path.isabs(loaded.path)
    assert ("snapshot", loaded.path) in fresh.sql("CALL azure_settings()").fetchall()


def test_the_package_carries_the_extension_for_this_duckdb():
    platform = duckdb.connect().sql("PRAGMA platform").fetchall()[0][0]
    path = azd.extension_path()
    assert path is not None and path.startswith(os.path.dirname(azd.__file__))
    with open(path, "rb") as f:
        footer = f.read()[-534:]
    fields = [footer[22 + 32 * i: 54 + 32 * i].rstrip(b"\0") for i in range(8)][::-1]
    assert fields[1].decode() == platform
    assert azd.extension_path("no_such_platform") is None


def test_the_snapshot_may_differ_per_row_in_one_chunk():
    """The extension looks a chunk's addresses up in one batch per snapshot; rows that
    name different snapshots, and null rows, keep their own answers and their order."""
    con = azd.connect(native=True)
    public, gov = ast.public(), ast.government()
    addresses = [p.split("/")[0] for t in ("AzureMachineLearning", "AzureCloud") for p in public.tag(t).ipv4()[:40]]
    addresses += [p.split("/")[0] for p in gov.tag("AzureCloud").ipv4()[:40]]
    rows = [(ip if i % 9 else None, ("Public", "Government")[i % 2]) for i, ip in enumerate(addresses)]
    con.execute("CREATE TABLE t(i INTEGER, ip VARCHAR, snap VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i, ip, s) for i, (ip, s) in enumerate(rows)])
    got = [r[0] for r in con.sql("SELECT azure_tags_containing(ip, snap) FROM t ORDER BY i").fetchall()]
    want = [
        None if ip is None else [t.name for t in (public if s == "Public" else gov).tags_containing(ip)]
        for ip, s in rows
    ]
    assert got == want
    assert any(w for w, (_, s) in zip(want, rows) if s == "Government")
