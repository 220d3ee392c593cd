"""The DuckDB extension (duckdb-extension/, built by scripts/build-duckdb-extension.sh)
loaded into the DuckDB from PyPI: every function on the million-address file against the
CLI, every argument type, nulls, bad input, empty input, and two threads."""

from __future__ import annotations

import itertools
import os

import duckdb
import pytest

import azure_service_tags as ast

from conftest import AML_IP, SERVICE

EXTENSION = os.environ.get("AZURE_SERVICE_TAGS_DUCKDB_EXTENSION", "")


def connect(threads: int = 1) -> duckdb.DuckDBPyConnection:
    assert os.path.isfile(EXTENSION), (
        "set AZURE_SERVICE_TAGS_DUCKDB_EXTENSION to the file "
        "scripts/build-duckdb-extension.sh writes"
    )
    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.sql(f"SET threads = {threads}")
    con.sql(f"LOAD '{EXTENSION}'")
    return con


@pytest.fixture(scope="module")
def con():
    return connect()


QUERY = """SELECT azure_tags_containing({ip}), azure_owned_by({ip}, '{service}'),
                  azure_service_match({ip}, '{service}')
           FROM read_parquet('{path}') ORDER BY row"""


@pytest.mark.parametrize("threads", [1, 2])
def test_every_function_answers_as_the_cli(flows, threads):
    rows = connect(threads).sql(QUERY.format(ip="ip", service=SERVICE, path=flows.path))
    table = rows.to_arrow_table()
    assert table.column(0).to_pylist() == flows.tags
    assert table.column(1).to_pylist() == flows.owned
    assert table.column(2).to_pylist() == flows.match


@pytest.mark.parametrize("ip", ["ip_u32::BIGINT", "ip_u32::UBIGINT", "ip_bin"])
def test_every_address_type_answers_alike(con, flows, ip):
    rows = con.sql(QUERY.format(ip=ip, service=SERVICE, path=flows.path)).to_arrow_table()
    typed = "ip_bin" if ip == "ip_bin" else "ip_u32"
    present = con.sql(f"SELECT {typed} IS NOT NULL FROM read_parquet('{flows.path}') ORDER BY row")
    keep = [r[0] for r in present.fetchall()]
    for column, expected in zip(rows.columns, [flows.tags, flows.owned, flows.match]):
        got = column.to_pylist()
        assert [g for g, k in zip(got, keep) if k] == [e for e, k in zip(expected, keep) if k]
        assert all(g is None for g, k in zip(got, keep) if not k)


def test_azure_tags_is_the_same_function(con):
    one = con.sql(f"SELECT azure_tags('{AML_IP}'), azure_tags_containing('{AML_IP}')").fetchall()[0]
    assert one[0] == one[1] and "AzureMachineLearning" in one[0]


def test_nulls_empty_input_and_services_per_row(con):
    assert con.sql("SELECT azure_tags_containing(NULL::VARCHAR)").fetchall() == [(None,)]
    assert con.sql(f"SELECT azure_service_match('{AML_IP}', NULL)").fetchall() == [(None,)]
    assert con.sql("SELECT azure_service_match('192.0.2.1', 'Storage')").fetchall() == [(None,)]
    empty = "SELECT azure_owned_by(ip, 'Storage') FROM (SELECT '1.1.1.1' AS ip) WHERE false"
    assert con.sql(empty).fetchall() == []
    rows = con.sql(
        f"""SELECT azure_owned_by(ip, svc) FROM (VALUES
             ('{AML_IP}', 'AzureMachineLearning'), ('{AML_IP}', 'Storage'),
             ('{AML_IP}', NULL), (NULL, 'Storage')) t(ip, svc)"""
    ).fetchall()
    assert [r[0] for r in rows] == [True, False, None, None]


@pytest.mark.parametrize(
    "query, message",
    [
        ("SELECT azure_owned_by('fe80::1%eth0', 'Storage')", "fe80::1%eth0"),
        ("SELECT azure_tags_containing(' 1.2.3.4')", "not an IPv4 or IPv6 address"),
        ("SELECT azure_tags_containing(-1::BIGINT)", "-1 is not an IPv4 address"),
        ("SELECT azure_tags_containing(4294967296::UBIGINT)", "4294967296"),
        ("SELECT azure_tags_containing('\\x01\\x02'::BLOB)", "4 or 16 bytes, not 2"),
        ("SELECT azure_owned_by('1.1.1.1', 'AzureMachineLearnin')", "closest known: AzureMachineLearning"),
        ("SELECT azure_service_match('1.1.1.1', 'NoSuchServiceXyz')", "unknown service"),
    ],
)
def test_bad_input_fails_the_query_naming_the_value_and_duckdb_goes_on(con, query, message):
    with pytest.raises(duckdb.Error, match=message):
        con.sql(query).fetchall()
    assert con.sql(f"SELECT azure_owned_by('{AML_IP}', 'AzureMachineLearning')").fetchall() == [(True,)]


def test_the_file_carries_the_footer_duckdb_checks():
    with open(EXTENSION, "rb") as f:
        footer = f.read()[-534:]
    assert footer[4:20] == b"duckdb_signature"
    fields = [footer[22 + 32 * i: 54 + 32 * i].rstrip(b"\0") for i in range(8)][::-1]
    assert fields[0] == b"4" and fields[4] == b"C_STRUCT" and fields[2] == b"v1.2.0"
    platform = duckdb.connect().sql("PRAGMA platform").fetchall()[0][0]
    assert fields[1].decode() == platform


def test_the_docs_flow_log_query_runs(con, tmp_path):
    """docs/duckdb.md's query, on a small flow log."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    (tmp_path / "flows").mkdir()
    pq.write_table(
        pa.table({"dst_ip": [AML_IP, AML_IP, "192.0.2.1", AML_IP],
                  "direction": ["O", "O", "O", "I"]}),
        tmp_path / "flows" / "day.parquet",
    )
    docs = open(os.path.join(os.path.dirname(__file__), "../../docs/duckdb.md")).read()
    query = docs.split("```sql\nLOAD")[-1].split(";\n", 1)[1].split("```")[0]
    rows = con.sql(query.replace("'flows/*.parquet'", f"'{tmp_path}/flows/*.parquet'")).fetchall()
    assert rows == [(ast.public().service_match(AML_IP, SERVICE).region.name, 2)]


def test_the_last_argument_names_the_snapshot(con):
    import azure_service_tags as ast

    fixture = os.path.join(os.path.dirname(__file__), "../../tests/fixtures/ServiceTags_Public_20990105.json")
    loaded = ast.Snapshot.from_path(fixture)
    for spec, snap in [("government", ast.government()), ("China", ast.china()), (fixture, loaded)]:
        tag = next(snap.tag(n) for n in snap.tag_names() if snap.tag(n).ipv4())
        ip = tag.ipv4()[0].split("/")[0]
        got = con.sql(f"SELECT azure_tags_containing('{ip}', '{spec}')").fetchall()[0][0]
        assert got == [t.name for t in snap.tags_containing(ip)], spec
        hit = snap.service_match(ip, tag.service)
        row = con.sql(f"SELECT azure_owned_by('{ip}', '{tag.service}', '{spec}'), "
                      f"azure_service_match('{ip}', '{tag.service}', '{spec}')").fetchall()[0]
        assert row[0] is (hit is not None)
        assert row[1] == (hit and {"tag": hit.tag.name, "region": hit.region and hit.region.name})
    public = con.sql(f"SELECT azure_tags_containing('{AML_IP}', 'public')").fetchall()
    assert public == con.sql(f"SELECT azure_tags_containing('{AML_IP}')").fetchall()
    with pytest.raises(duckdb.Error, match="no/such/file.json"):
        con.sql("SELECT azure_owned_by('1.1.1.1', 'Storage', 'no/such/file.json')").fetchall()
    assert con.sql("SELECT azure_owned_by('1.1.1.1', 'Storage', NULL)").fetchall() == [(None,)]


def test_try_turns_a_bad_value_into_null_row_by_row(con):
    rows = con.sql(
        f"""SELECT try(azure_owned_by(ip, 'AzureMachineLearning')) FROM (VALUES
             ('{AML_IP}'), ('not an ip'), (NULL), ('192.0.2.1')) t(ip)"""
    ).fetchall()
    assert [r[0] for r in rows] == [True, None, None, False]


def test_the_community_entrys_hello_world_runs(con):
    """duckdb-extension/description.template.yml's example, statement by statement."""
    path = os.path.join(os.path.dirname(__file__), "../../duckdb-extension/description.template.yml")
    lines = open(path).read().split("  hello_world: |\n", 1)[1].splitlines()
    block = "\n".join(itertools.takewhile(lambda line: line.startswith("    "), lines))
    statements = [s for s in block.split(";") if s.strip()]
    assert len(statements) == 3
    # Its address, and what the scalar API answers for it (the example's own values may
    # leave the service in a later week).
    ip = statements[0].split("azure_owned_by('", 1)[1].split("'", 1)[0]
    hit = ast.public().service_match(ip, SERVICE)
    owned, region, tags = con.sql(statements[0]).fetchall()[0]
    assert owned is (hit is not None)
    assert region == (hit and hit.region and hit.region.name)
    assert tags == [t.name for t in ast.public().tags_containing(ip)]
    assert con.sql(statements[1]).fetchall()[0][0] == ast.public().region("East US 2").name
    assert con.sql(statements[2]).fetchall()


def test_the_settings_are_the_databases(tmp_path):
    con = connect()
    assert con.sql("CALL azure_settings()").fetchall() == [("errors", "error"), ("snapshot", "public")]
    lenient = f"SELECT azure_owned_by(ip, 'AzureMachineLearning') FROM (VALUES ('not an ip'), ('{AML_IP}')) t(ip)"
    with pytest.raises(duckdb.Error, match="not an ip"):
        con.sql(lenient).fetchall()
    got = con.sql("CALL azure_settings(errors := 'NULL', snapshot := 'china')").fetchall()
    assert got == [("errors", "null"), ("snapshot", "china")]
    assert con.sql(lenient).fetchall() == [(None,), (False,)]
    china = con.sql("SELECT count(*) FROM azure_service_tags()").fetchall()
    assert china == con.sql("SELECT count(*) FROM azure_service_tags(snapshot := 'china')").fetchall()
    assert con.sql(f"SELECT azure_owned_by('{AML_IP}', 'AzureMachineLearning', 'public')").fetchall() == [(True,)]
    # A second connection to the same database shares them; another database does not.
    assert con.cursor().sql("CALL azure_settings()").fetchall() == got
    assert connect().sql("CALL azure_settings()").fetchall() == [("errors", "error"), ("snapshot", "public")]
    with pytest.raises(duckdb.Error, match="errors must be 'error' or 'null', not \"ignore\""):
        con.sql("CALL azure_settings(errors := 'ignore')").fetchall()
    with pytest.raises(duckdb.Error, match="no/such/file.json"):
        con.sql("CALL azure_settings(snapshot := 'no/such/file.json')").fetchall()
    assert con.sql("CALL azure_settings()").fetchall() == got


def cli_json(*args):
    import json

    from conftest import aztags

    out = aztags(*args, "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_table_functions_answer_as_the_cli(con):
    import ipaddress

    tag = cli_json("tag", "AzureCloud")
    rows = con.sql("SELECT * FROM azure_tag_prefixes('azurecloud')").fetchall()
    assert [r[1] for r in rows] == tag["addressPrefixes"]  # more rows than one vector
    for name, prefix, family, first, last in rows:
        net = ipaddress.ip_network(prefix)
        assert (name, family) == ("AzureCloud", f"ipv{net.version}")
        assert (first, last) == (str(net.network_address), str(net.broadcast_address))
    tags = cli_json("--cloud", "china", "tags")
    rows = con.sql("SELECT * FROM azure_service_tags(snapshot := 'china')").fetchall()
    assert rows == [(t["name"], t["service"], t["region"], t["ipv4"], t["ipv6"]) for t in tags]
    region = cli_json("region", "East US 2")
    assert con.sql("SELECT * FROM azure_region('East US 2')").fetchall() == [
        (region["name"], region["displayName"], region["code"], region["geography"], region["paired"],
         region["pairKnown"])
    ]
    joined = con.sql(
        """SELECT count(*) FROM azure_tag_prefixes('AzureMachineLearning') p
           WHERE azure_owned_by(p.first, 'AzureMachineLearning')"""
    ).fetchall()
    assert joined == [(len(cli_json("tag", "AzureMachineLearning")["addressPrefixes"]),)]
    with pytest.raises(duckdb.Error, match="closest known: eastus"):
        con.sql("SELECT * FROM azure_region('atlantis')").fetchall()
    with pytest.raises(duckdb.Error, match="closest known: AzureMachineLearning"):
        con.sql("SELECT * FROM azure_tag_prefixes('AzureMachineLearnin')").fetchall()


def test_a_service_with_only_regional_tags_answers_as_the_scalar_api(con, flows):
    """`AzureFrontDoor` has no tag of its own name: finding it scans the tags, which the
    functions do once per run of rows, not once per row."""
    import pyarrow as pa

    import azure_service_tags as ast

    snap = ast.public()
    ips = [ip for ip in flows.ips[:50_000] if ip is not None]
    con.register("sample", pa.table({"n": list(range(len(ips))), "ip": ips}))
    rows = con.sql(
        "SELECT azure_service_match(ip, 'AzureFrontDoor'), azure_owned_by(ip, 'azurefrontdoor') "
        "FROM sample ORDER BY n"
    ).fetchall()
    for ip, (match, owned) in zip(ips, rows):
        hit = snap.service_match(ip, "AzureFrontDoor")
        assert match == (hit and {"tag": hit.tag.name, "region": hit.region and hit.region.name}), ip
        assert owned is (hit is not None), ip
