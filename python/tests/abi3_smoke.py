"""A short check that the one abi3 wheel works on other CPython versions than the one
that built it (scripts/test-python.sh runs it under each python3.N it finds). Plain
asserts, no pytest: the other interpreters get only the wheel and pyarrow."""

import sys

import pyarrow as pa

import azure_service_tags as ast

snap = ast.public()
# An address of AzureMachineLearning.EastUS2, from the data (no pinned address).
ip = snap.tag("AzureMachineLearning.EastUS2").ipv4()[0].split("/")[0]
hit = snap.service_match(ip, "AzureMachineLearning")
assert hit.tag.name == "AzureMachineLearning.EastUS2" and hit.region.name == "eastus2"
assert hit.region.paired.name == "centralus"
assert "AzureMachineLearning.EastUS2" in [t.name for t in snap.tags_containing(ip)]
ips = pa.array([ip, "192.0.2.1", None])
assert ast.owned_by_each(ips, "AzureMachineLearning").to_pylist() == [True, False, None]
assert ast.tags_containing_each(ips).to_pylist()[1:3] == [[], None]
assert ast.service_match_each(ips, "AzureMachineLearning").to_pylist()[0] == {
    "tag": "AzureMachineLearning.EastUS2",
    "region": "eastus2",
}
try:
    ast.tags_containing_each(pa.array(["fe80::1%eth0"]))
except ValueError as e:
    assert "row 0" in str(e)
else:
    raise AssertionError("a zone id was accepted")
assert snap.routes("eastus2")["secondary"] == "centralus"
print(f"abi3 wheel on Python {sys.version.split()[0]}, pyarrow {pa.__version__}: ok")
