"""The scalar API against the CLI's answers."""

from __future__ import annotations

import ipaddress
import json
import random
from pathlib import Path

import pytest

import azure_service_tags as ast
from conftest import AML_IP, SERVICE, aztags


def cli_json(*args: str):
    out = aztags(*args, "--format", "json")
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def test_info_is_the_cli_info():
    assert ast.public().info() == cli_json("info")
    assert ast.china().info() == cli_json("--cloud", "china", "info")
    assert ast.government().info()["cloud"] == "AzureGovernment"


def test_the_embedded_snapshots_are_one_object_each():
    assert ast.public() is ast.public()
    assert ast.Snapshot.public() is ast.public()
    assert ast.public() is not ast.china()


def test_check_answers_as_the_cli_on_sampled_addresses(flows):
    snap = ast.public()
    rng = random.Random(7)
    sample = rng.sample([ip for ip in flows.ips if ip is not None], 150)
    sample += [AML_IP, "192.0.2.1", "2603:1030:40b::1"]
    for ip in sample:
        cli = cli_json("check", "--service", SERVICE, ip)
        hit = snap.service_match(ip, SERVICE)
        assert (hit is not None) == cli["owned"], ip
        if hit is not None:
            assert hit.tag.name == cli["tag"], ip
            assert (hit.region.name if hit.region else None) == cli["region"], ip


def test_tags_containing_is_the_cli_lookup(flows):
    snap = ast.public()
    for ip, expected in list(zip(flows.ips, flows.tags))[:3000]:
        if ip is None:
            continue
        assert [t.name for t in snap.tags_containing(ip)] == expected, ip
        assert [t.name for t in snap.tags_containing(ipaddress.ip_address(ip))] == expected


def test_tag_and_region_handles():
    snap = ast.public()
    tag = snap.tag("azuremachinelearning.eastus2")
    assert tag.name == "AzureMachineLearning.EastUS2"
    assert tag.service == "AzureMachineLearning"
    assert tag.region.name == "eastus2"
    assert AML_IP in tag and tag.contains(ipaddress.ip_address(AML_IP))
    assert "192.0.2.1" not in tag
    cli = cli_json("tag", "AzureMachineLearning.EastUS2")
    assert tag.prefixes() == cli["addressPrefixes"] == tag.ipv4() + tag.ipv6()
    assert tag.system_service == cli["systemService"]
    assert tag.change_number == cli["changeNumber"]
    assert tag.network_features == cli["networkFeatures"]
    assert tag == snap.tag("AzureMachineLearning.EastUS2") and hash(tag) == hash(snap.tag(tag.name))
    assert repr(tag).startswith("<Tag AzureMachineLearning.EastUS2 (")
    assert snap.tag("NoSuchTag") is None

    for spelling in ["East US 2", "eastus2", "EASTUS2"]:
        region = snap.region(spelling)
        cli = cli_json("region", spelling)
        assert region.name == cli["name"]
        assert region.display_name == cli["displayName"]
        assert region.code == cli["code"]
        assert region.region_id == cli["regionId"]
        assert region.geography == cli["geography"]
        assert region.paired.name == cli["paired"]
        assert region.pair_known == cli["pairKnown"]
    # Regions' pairs (a region, none, or not known), as the CLI says, on every 97th tag's.
    tags = cli_json("tags")
    for name in ["italynorth", "eastus2"] + [t["region"] for t in tags[::97] if t["region"]]:
        region, cli = snap.region(name), cli_json("region", name)
        assert (region.paired and region.paired.name, region.pair_known) == (cli["paired"], cli["pairKnown"])
    assert snap.region("atlantis") is None
    assert snap.find_service("azuremachinelearning") == "AzureMachineLearning"
    with pytest.raises(ast.NotFoundError, match="closest known"):
        snap.find_service("AzureMachineLearnin")


@pytest.mark.parametrize(
    "region,kwargs,args",
    [
        ("eastus2", {}, []),
        ("francecentral", {"families": "both"}, ["--all-families"]),
        ("westeurope", {"service": "Storage", "mode": "service-tag", "paired": False},
         ["--service", "Storage", "--mode", "service-tag", "--no-paired"]),
        ("eastus", {"service": "AzureCloud", "summarize": True, "max_routes": 50},
         ["--service", "AzureCloud", "--summarize", "--max-routes", "50"]),
        ("eastus2", {"next_hop_type": "VirtualAppliance", "next_hop_ip": "10.0.0.4"},
         ["--next-hop-type", "VirtualAppliance", "--next-hop-ip", "10.0.0.4"]),
    ],
)
def test_routes_are_the_cli_plan(region, kwargs, args):
    assert ast.public().routes(region, **kwargs) == cli_json("routes", "--region", region, *args)


def test_route_errors_are_typed():
    with pytest.raises(ast.RouteError, match="routes"):
        ast.public().routes("eastus", service="AzureCloud")
    with pytest.raises(ast.NotFoundError, match="atlantis"):
        ast.public().routes("atlantis")
    with pytest.raises(ValueError, match="families"):
        ast.public().routes("eastus2", families="ipv5")


def test_bad_scalar_inputs_raise_clear_errors():
    snap = ast.public()
    with pytest.raises(ValueError, match="not an IPv4 or IPv6 address"):
        snap.tags_containing("fe80::1%eth0")
    with pytest.raises(ValueError, match="'20.41.0.256'|\"20.41.0.256\""):
        snap.service_match("20.41.0.256", SERVICE)
    with pytest.raises(TypeError, match="int"):
        snap.tags_containing(42)
    with pytest.raises(ast.NotFoundError, match="closest known") as caught:
        snap.service_match(AML_IP, "AzureMachineLearnin")
    err = caught.value
    assert (err.kind, err.name) == ("service", "AzureMachineLearnin")
    assert "AzureMachineLearning" in err.closest and len(err.closest) <= 3
    with pytest.raises(ast.NotFoundError) as caught:
        snap.find_service("nosuchservicexyz")
    assert caught.value.name == "nosuchservicexyz" and isinstance(caught.value.closest, list)


def test_tags_lists_every_tag_as_in_rust():
    snap = ast.public()
    every = snap.tags()
    assert [t.name for t in every] == snap.tag_names()
    assert every[0] == snap.tag(every[0].name)


def test_every_published_property_is_a_tag_attribute_with_the_clis_value():
    """A property added to the crate's table and forgotten here fails: each one is an
    attribute, in ``properties`` under Microsoft's name, and the CLI's JSON agrees."""
    snap = ast.public()
    assert {official for official, _ in ast.TAG_PROPERTIES} >= {"id", "networkFeatures"}
    for name in ["AzureMachineLearning.EastUS2", "AzureCloud", snap.tag_names()[-1]]:
        tag = snap.tag(name)
        cli = cli_json("tag", name)
        json_key = {"region": "regionCode"}
        for official, attribute in ast.TAG_PROPERTIES:
            assert getattr(tag, attribute) == tag.properties.get(official), (name, official)
            assert tag.properties.get(official) == cli.get(json_key.get(official, official)), (name, official)


def test_the_old_names_still_answer_and_warn():
    import pyarrow as pa

    snap = ast.public()
    ips = pa.array([AML_IP, "192.0.2.1", None])
    cases = [
        (lambda: snap.tags(ips), lambda: snap.tags_containing_each(ips)),
        (lambda: snap.owned_by(ips, SERVICE), lambda: snap.owned_by_each(ips, SERVICE)),
        (lambda: snap.service_match(ips, SERVICE), lambda: snap.service_match_each(ips, SERVICE)),
        (lambda: ast.tags(ips), lambda: ast.tags_containing_each(ips)),
        (lambda: ast.owned_by(ips, SERVICE), lambda: ast.owned_by_each(ips, SERVICE)),
        (lambda: ast.service_match(ips, SERVICE), lambda: ast.service_match_each(ips, SERVICE)),
    ]
    for old, new in cases:
        with pytest.warns(DeprecationWarning, match="deprecated: use"):
            answer = old()
        assert answer.to_pylist() == new().to_pylist()


def test_snapshot_from_a_file(tmp_path):
    official = {
        "changeNumber": 9,
        "cloud": "Public",
        "values": [
            {"name": "Demo.EastUS2", "id": "Demo.EastUS2",
             "properties": {"region": "eastus2", "addressPrefixes": ["192.0.2.0/24"]}},
            {"name": "Demo", "id": "Demo",
             "properties": {"region": "", "addressPrefixes": ["192.0.2.0/24", "2001:db8::/32"]}},
        ],
    }
    path = tmp_path / "ServiceTags_Public_20261123.json"
    path.write_text(json.dumps(official))
    snap = ast.Snapshot.from_path(str(path))
    assert snap.change_number == 9 and snap.published == "2026-11-23"
    assert snap.service_match("192.0.2.7", "demo").tag.name == "Demo.EastUS2"
    assert ast.owned_by_each(__import__("pyarrow").array(["192.0.2.7", "2001:db8::1", "1.1.1.1"]),
                        "Demo", snapshot=path).to_pylist() == [True, True, False]
    # Loaded once per process: the same object while the file is unchanged.
    assert ast.resolve_snapshot(path) is ast.resolve_snapshot(str(path))


def test_snapshots_pickle_as_references(tmp_path):
    import pickle

    assert pickle.loads(pickle.dumps(ast.public())) is ast.public()
    assert pickle.loads(pickle.dumps(ast.china())) is ast.china()
    data_dir = Path(__file__).resolve().parents[2] / "data" / "public"
    loaded = ast.Snapshot.from_path(data_dir)
    assert loaded.path == str(data_dir) and ast.public().path is None
    again = pickle.loads(pickle.dumps(loaded))
    assert again.path == loaded.path and again.info() == loaded.info()
    assert pickle.loads(pickle.dumps(loaded)) is again  # loaded once per process


def test_bad_snapshot_files_raise_snapshot_error(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(ast.SnapshotError, match="nope.json"):
        ast.Snapshot.from_path(missing)
    with pytest.raises(ast.SnapshotError, match="nope.json"):
        ast.resolve_snapshot(missing)
    broken = tmp_path / "ServiceTags_Public_20261123.json"
    broken.write_text('{"changeNumber": 1, "cloud": "Public", "values": [{"name": 3}]}')
    with pytest.raises(ast.SnapshotError, match="ServiceTags_Public_20261123.json"):
        ast.Snapshot.from_path(broken)
    with pytest.raises(TypeError, match="snapshot must be"):
        ast.resolve_snapshot(42)
