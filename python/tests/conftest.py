"""Shared fixtures: a Parquet file of over a million generated addresses, and what the
crate's CLI (`aztags`, from the same repository) answers for each of them.

The CLI is the reference: every engine's answer is compared with its output on the same
addresses. `AZTAGS` names the binary (scripts/test-python.sh builds it).
"""

from __future__ import annotations

import ipaddress
import json
import os
import random
import socket
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import azure_service_tags as ast

ROWS = 1_048_576
SERVICE = "AzureMachineLearning"
# An address of AzureMachineLearning.EastUS2, taken from the compiled-in data (the first
# address of its first IPv4 prefix), so that no test pins one the data may drop.
AML_IP = str(ipaddress.ip_network(ast.public().tag("AzureMachineLearning.EastUS2").ipv4()[0])[0])


def aztags_path() -> str:
    path = os.environ.get("AZTAGS")
    if not path or not Path(path).is_file():
        pytest.exit("set AZTAGS to the aztags binary (scripts/test-python.sh does)", 2)
    return path


def aztags(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [aztags_path(), *args], input=stdin, capture_output=True, check=False
    )


def _spans(prefixes) -> "list[tuple[int, int]]":
    """Each prefix as (first address, number of addresses)."""
    nets = (ipaddress.ip_network(p) for p in prefixes)
    return [(int(n.network_address), n.num_addresses) for n in nets]


def _addresses(rng: random.Random) -> list:
    """Addresses of every kind: inside Azure prefixes (IPv4 and IPv6), at their first
    and last address and just outside, random ones, IPv4-mapped IPv6, and nulls."""
    snap = ast.public()
    v4, v6 = [], []
    for name in snap.tag_names():
        tag = snap.tag(name)
        v4.extend(_spans(tag.ipv4()))
        v6.extend(_spans(tag.ipv6()))
    out: list = []
    ntoa = socket.inet_ntoa
    pack = struct.Struct("!I").pack
    v6_text = lambda a: str(ipaddress.IPv6Address(a))  # noqa: E731
    while len(out) < ROWS:
        kind = rng.random()
        if kind < 0.40:
            first, size = rng.choice(v4)
            out.append(ntoa(pack(first + rng.randrange(size))))
        elif kind < 0.62:
            out.append(ntoa(pack(rng.getrandbits(32))))
        elif kind < 0.74:
            first, size = rng.choice(v6)
            out.append(v6_text(first + rng.randrange(size)))
        elif kind < 0.80:
            out.append(v6_text(rng.getrandbits(128)))
        elif kind < 0.90:
            is_v4 = rng.random() < 0.7
            first, size = rng.choice(v4 if is_v4 else v6)
            edge = rng.choice([first, first + size - 1, first - 1, first + size])
            edge %= 1 << (32 if is_v4 else 128)
            out.append(ntoa(pack(edge)) if is_v4 else v6_text(edge))
        elif kind < 0.95:
            first, size = rng.choice(v4)
            out.append(f"::ffff:{ntoa(pack(first + rng.randrange(size)))}")
        else:
            out.append(None)
    return out


def _packed(ip: str) -> bytes:
    """The address's 4 or 16 bytes."""
    return socket.inet_pton(socket.AF_INET6 if ":" in ip else socket.AF_INET, ip)


@dataclass(frozen=True)
class Flows:
    """The generated file and the CLI's answers, row by row (None for null rows)."""

    path: Path
    ips: list
    tags: list
    owned: list
    match: list


@pytest.fixture(scope="session")
def tag_info() -> dict:
    """name -> (service, region), from `aztags tags --format json`."""
    out = aztags("tags", "--format", "json")
    assert out.returncode == 0, out.stderr
    return {t["name"]: (t["service"], t["region"]) for t in json.loads(out.stdout)}


def service_answer(found: list, service: str, tag_info: dict):
    """What `aztags check` answers, from the tags `aztags lookup` lists (most specific
    first): the first regional tag of the service, else its global tag."""
    regional = glob = None
    for name in found:
        svc, region = tag_info[name]
        if svc.lower() != service.lower():
            continue
        if region is not None and regional is None:
            regional = {"tag": name, "region": region}
        elif region is None and name.lower() == svc.lower() and glob is None:
            glob = {"tag": name, "region": None}
    return regional or glob


@pytest.fixture(scope="session")
def flows(tmp_path_factory, tag_info) -> Flows:
    rng = random.Random(20261124)
    ips = _addresses(rng)
    path = tmp_path_factory.mktemp("flows") / "flows.parquet"
    v4 = [
        struct.unpack("!I", socket.inet_aton(ip))[0] if ip is not None and ":" not in ip else None
        for ip in ips
    ]
    packed = [_packed(ip) if ip is not None else None for ip in ips]
    table = pa.table(
        {
            "row": pa.array(range(len(ips)), pa.int64()),
            "ip": pa.array(ips, pa.string()),
            "ip_u32": pa.array(v4, pa.uint32()),
            "ip_bin": pa.array(packed, pa.binary()),
        }
    )
    pq.write_table(table, path, row_group_size=200_000)

    text = "\n".join(ip for ip in ips if ip is not None).encode()
    out = aztags("lookup", "-", stdin=text)
    assert out.returncode in (0, 1), out.stderr
    lines = out.stdout.decode().splitlines()
    answers = iter(lines)
    tags, owned, match = [], [], []
    for ip in ips:
        if ip is None:
            tags.append(None)
            owned.append(None)
            match.append(None)
            continue
        _, found = next(answers).split("\t")
        found = [] if found == "-" else found.split(",")
        tags.append(found)
        hit = service_answer(found, SERVICE, tag_info)
        owned.append(hit is not None)
        match.append(hit)
    assert next(answers, None) is None, "the CLI answered more lines than it was given"
    return Flows(path=path, ips=ips, tags=tags, owned=owned, match=match)
