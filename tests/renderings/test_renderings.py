"""Every route rendering of `aztags`, read back by the real tool or grammar it is meant for.

- az CLI scripts run under bash with a stand-in `az` that records its arguments as the
  shell passed them; azure-cli's own parser (not logged in, no network) then parses each.
  Change scripts also run against a stand-in that answers "exists", "not found" (exit 3)
  or "error" for `route show`, to prove a re-run succeeds and a real error stops them.
- PowerShell and Bicep go through their tree-sitter grammars, and every string literal is
  decoded by the language's quoting rules and compared with the value it must carry.
- Terraform goes through python-hcl2; ARM through the JSON parser, the template rules
  (a string that starts with `[` and ends with `]` is an expression, one that also starts
  with `[[` a literal) and Microsoft's network SDK (property names, next-hop types); the
  API version must be the one azure-cli uses for routes.
- ARM templates and Bicep files are also evaluated (`evaluate.py`): every deployment
  unit holds at most 800 resources, and deploying creates exactly the plan's routes, in
  the table named, one at a time, in order, plans of more than 800 routes included.

Run with `scripts/test-renderings.sh` (it builds `aztags` and installs the parsers).
"""

import contextlib
import io
import json
import os
import re
import shutil
import stat
import subprocess
import textwrap
from pathlib import Path

import hcl2
import pytest
from evaluate import BICEP_ESCAPES, arm_deployments, bicep_deployments, unescape
import tree_sitter
import tree_sitter_bicep
import tree_sitter_powershell

ROOT = Path(__file__).resolve().parents[2]
AZTAGS = os.environ.get("AZTAGS", str(ROOT / "target" / "release" / "aztags"))

# (id, region, extra aztags arguments). The odd names are legal or at least possible
# values a user may pass; each must reach every tool unchanged.
CASES = [
    ("eastus2", "eastus2", []),
    ("eastus2-nva", "eastus2", ["--next-hop-type", "VirtualAppliance", "--next-hop-ip", "10.0.0.4"]),
    ("eastus2-nva6", "eastus2", ["--all-families", "--next-hop-type", "VirtualAppliance", "--next-hop-ip", "fd00::4"]),
    ("eastus2-ipv6", "eastus2", ["--ipv6"]),
    ("francecentral-tags", "francecentral", ["--mode", "service-tag"]),
    ("italynorth", "italynorth", []),
    ("westus3", "westus3", ["--no-paired"]),
    ("eastus-cloud", "eastus", ["--service", "AzureCloud", "--max-routes", "40", "--summarize"]),
    ("storage-gateway", "westeurope", ["--service", "Storage", "--max-routes", "1000", "--next-hop-type", "VirtualNetworkGateway"]),
    ("dash-group", "eastus2", ["--resource-group=-rg", "--route-table=-rt"]),
    ("bracket-table", "eastus2", ["--route-table", "[rt]"]),
    ("bracket-expression", "eastus2", ["--route-table", "[parameters('x')]", "-g", "[rg]"]),
    ("bracket-suffix", "eastus2", ["--route-table", "[rt]x", "-g", "[rg]x"]),
    ("bracket-end", "eastus2", ["--route-table", "x]", "-g", "["]),
    ("bracket-open", "eastus2", ["--route-table", "[", "-g", "x]"]),
    ("quotes", "eastus2", ["-g", "it's", "--route-table", "a\u2018b\u2019c\u201ad\u201be"]),
    ("double-quotes", "eastus2", ["-g", 'say "hi"', "--route-table", "rt\"'"]),
    ("newlines", "eastus2", ["-g", "line\nbreak", "--route-table", "cr\rlf\ttab"]),
    ("interpolation", "eastus2", ["-g", "${x}", "--route-table", "%{y}$(whoami)`id`"]),
    ("shell-meta", "eastus2", ["-g", "rg; rm -rf / && echo", "--route-table", "a|b>c<d*e?"]),
    ("backslash", "eastus2", ["-g", "back\\slash\\", "--route-table", "\\n\\'"]),
    ("unicode", "eastus2", ["-g", "Ünïcödé-グループ", "--route-table", "таблица"]),
    ("dollar", "eastus2", ["-g", "$rg", "--route-table", "$routeTable"]),
]

FORMATS = ["az-cli", "powershell", "bicep", "terraform", "arm", "json", "csv", "table"]


def aztags(*args, check=True):
    done = subprocess.run([AZTAGS, *args], capture_output=True, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"aztags {args} exited {done.returncode}: {done.stderr.decode()}")
    return done


def option(args, names, default):
    for i, a in enumerate(args):
        if a in names:
            return args[i + 1]
        for name in names:
            if a.startswith(name + "="):
                return a[len(name) + 1 :]
    return default


def render(case, fmt, extra=()):
    _, region, args = case
    out = aztags("routes", "--region", region, *args, "--format", fmt, *extra).stdout
    return out.decode("utf-8")


def plan_of(case):
    plan = json.loads(render(case, "json"))
    _, _, args = case
    plan["resource_group"] = option(args, ("-g", "--resource-group"), "my-resource-group")
    plan["route_table"] = option(args, ("--route-table",), "my-route-table")
    return plan


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def case(request):
    return request.param


# ---- az CLI -----------------------------------------------------------------------

FAKE_AZ = textwrap.dedent(
    """\
    #!/bin/bash
    # Records its arguments, NUL-separated, one invocation a line in $AZ_LOG.
    printf '%s\\0' "$@" >> "$AZ_LOG"
    printf '\\n' >> "$AZ_LOG"
    if [ "$4" = show ]; then
      case "$AZ_SHOW" in
        exists) exit 0 ;;
        gone) echo "ERROR: (NotFound) route not found" >&2; exit 3 ;;
        *) echo "ERROR: Please run 'az login' to setup account." >&2; exit 1 ;;
      esac
    fi
    exit 0
    """
)


def run_az_script(script, tmp_path, show="exists"):
    """Runs `script` with the stand-in az; returns (exit code, stdout, recorded argv lists)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "az"
    fake.write_text(FAKE_AZ)
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / f"az-{show}.log"
    log.write_bytes(b"")
    path = tmp_path / "script.sh"
    path.write_text(script)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", AZ_LOG=str(log), AZ_SHOW=show)
    done = subprocess.run(["bash", str(path)], capture_output=True, env=env, check=False)
    calls = []
    for line in log.read_bytes().split(b"\0\n"):
        if line:
            calls.append([a.decode("utf-8") for a in line.split(b"\0")])
    return done.returncode, done.stdout.decode(), done.stderr.decode(), calls


_AZ_CONFIG = None


def az_parse(argv):
    """azure-cli's exit code for `az argv` when not logged in: 2 is a parse error; 1, the
    login error, means the command line parsed."""
    global _AZ_CONFIG
    from azure.cli.core import get_default_cli

    if _AZ_CONFIG is None:
        import tempfile

        _AZ_CONFIG = tempfile.mkdtemp()
        os.environ["AZURE_CONFIG_DIR"] = _AZ_CONFIG
        os.environ["AZURE_CORE_COLLECT_TELEMETRY"] = "0"
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = get_default_cli().invoke(argv, out_file=io.StringIO())
    except SystemExit as e:
        code = e.code
    return code, err.getvalue()


def value_of(argv, name):
    for a in argv:
        if a.startswith(name + "="):
            return a[len(name) + 1 :]
    raise AssertionError(f"{name} missing in {argv}")


def test_az_cli_runs_and_parses(case, tmp_path):
    plan = plan_of(case)
    code, _, err, calls = run_az_script(render(case, "az-cli"), tmp_path)
    assert code == 0, err
    assert len(calls) == len(plan["routes"])
    for argv, route in zip(calls, plan["routes"]):
        assert argv[:4] == ["network", "route-table", "route", "create"]
        assert value_of(argv, "--resource-group") == plan["resource_group"]
        assert value_of(argv, "--route-table-name") == plan["route_table"]
        assert value_of(argv, "--name") == route["name"]
        assert value_of(argv, "--address-prefix") == route["addressPrefix"]
        assert value_of(argv, "--next-hop-type") == route["nextHopType"]
        if route["nextHopIpAddress"]:
            assert value_of(argv, "--next-hop-ip-address") == route["nextHopIpAddress"]
    # azure-cli's parser: the first and last command of each case (the odd names are the
    # same in every line).
    for argv in calls[:1] + calls[-1:]:
        code, err = az_parse(argv)
        assert code == 1, f"azure-cli could not parse {argv}: {err}"


@pytest.fixture(scope="module")
def newer_snapshot(tmp_path_factory):
    """A data directory whose AzureMachineLearning.EastUS2 lost one prefix and gained one."""
    data = tmp_path_factory.mktemp("newer") / "public"
    shutil.copytree(ROOT / "data" / "public", data)
    tags = data / "service-tags.txt"
    text = tags.read_text()
    block = text.index("tag AzureMachineLearning.EastUS2 ")
    text = text[:block] + text[block:].replace("20.41.0.240/28", "20.41.1.0/28", 1)
    tags.write_text(text)
    return str(data)


def changes(newer, fmt, extra=()):
    return aztags("--snapshot", newer, "routes", "--region", "eastus2", "--since", "embedded",
                  "--format", fmt, *extra).stdout.decode()


def test_az_change_script_reruns_and_stops_on_real_errors(newer_snapshot, tmp_path):
    script = changes(newer_snapshot, "az-cli", ["--resource-group=-rg", "--route-table", "it's"])
    assert script.startswith("#!/bin/sh\n") and "\nset -eu\n" in script
    code, out, err, calls = run_az_script(script, tmp_path, show="exists")
    assert code == 0, err
    verbs = [c[3] for c in calls]
    assert verbs == ["show", "delete", "create"], calls
    for argv in calls:
        assert value_of(argv, "--resource-group") == "-rg"
        assert value_of(argv, "--route-table-name") == "it's"
        code, parse_err = az_parse(argv)
        assert code == 1, f"azure-cli could not parse {argv}: {parse_err}"
    # Re-run after the delete went through: the route is gone, the script goes on.
    code, out, err, calls = run_az_script(script, tmp_path, show="gone")
    assert code == 0, err
    assert "already gone: skipped" in out
    assert [c[3] for c in calls] == ["show", "create"]
    # A real error (here: not logged in) stops the script before any change.
    code, out, err, calls = run_az_script(script, tmp_path, show="error")
    assert code == 1
    assert "az login" in err
    assert [c[3] for c in calls] == ["show"]


# ---- PowerShell ----------------------------------------------------------------------

PS_QUOTES = "'\u2018\u2019\u201a\u201b"
PS = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
BICEP = tree_sitter.Parser(tree_sitter.Language(tree_sitter_bicep.language()))


def syntax_errors(tree):
    found, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append((node.type, node.start_point, node.text[:60]))
        stack.extend(node.children)
    return found


def nodes(tree, kinds):
    stack, found = [tree.root_node], []
    while stack:
        node = stack.pop()
        if node.is_named and node.type in kinds:
            found.append(node)
        stack.extend(reversed(node.children))
    return found


def powershell_strings(source):
    """Every verbatim string of the script, decoded by PowerShell's rules: a string opens
    with any of ' U+2018 U+2019 U+201A U+201B, and one of them doubled is one character
    of the string; one alone ends it."""
    out, i, n = [], 0, len(source)
    while i < n:
        c = source[i]
        if c == "#":
            i = source.find("\n", i)
            i = n if i < 0 else i
            continue
        if c == '"':
            j = source.index('"', i + 1)
            i = j + 1
            continue
        if c in PS_QUOTES:
            value, i = [], i + 1
            while True:
                if i >= n:
                    raise AssertionError(f"unterminated string in {source[:80]!r}")
                if source[i] in PS_QUOTES:
                    if i + 1 < n and source[i + 1] in PS_QUOTES:
                        value.append(source[i])
                        i += 2
                        continue
                    i += 1
                    break
                value.append(source[i])
                i += 1
            out.append("".join(value))
            continue
        i += 1
    return out


def test_powershell_parses_and_quotes(case):
    plan = plan_of(case)
    script = render(case, "powershell")
    tree = PS.parse(script.encode())
    assert syntax_errors(tree) == []
    strings = powershell_strings(script)
    assert strings[:3] == ["Stop", plan["resource_group"], plan["route_table"]]
    sets = [s for s in script.splitlines() if s.startswith("Set-Route ")]
    assert len(sets) == len(plan["routes"])
    expected = []
    for r in plan["routes"]:
        expected += [r["name"], r["addressPrefix"], r["nextHopType"]]
        if r["nextHopIpAddress"]:
            expected.append(r["nextHopIpAddress"])
    assert strings[3:] == expected
    # Every route line is one command whose arguments are string literals.
    for line in sets:
        assert syntax_errors(PS.parse(line.encode())) == []


def test_powershell_change_script_stops_and_skips(newer_snapshot):
    script = changes(newer_snapshot, "powershell", ["--route-table", "a\u2019b"])
    tree = PS.parse(script.encode())
    assert syntax_errors(tree) == []
    lines = script.splitlines()
    first_command = next(l for l in lines if l and not l.startswith("#"))
    assert first_command == "$ErrorActionPreference = 'Stop'"
    assert "Remove-Route 'AzureMachineLearning-eastus2-20.41.0.240_28'" in lines
    assert "a\u2019b" in powershell_strings(script)
    assert "already gone: skipped" in script


# ---- Bicep -------------------------------------------------------------------------

def bicep_decode(literal):
    """A Bicep single-quoted string's value; fails on what Bicep would refuse, and on
    interpolation (the renderings write values, not expressions, in strings)."""
    assert literal[0] == "'" and literal[-1] == "'", literal
    body, i = literal[1:-1], 0
    while i < len(body):
        c = body[i]
        assert c not in "\n\r", f"raw line break in {literal!r}"
        assert c != "'", f"unescaped quote in {literal!r}"
        if c == "$" and body[i + 1 : i + 2] == "{":
            raise AssertionError(f"interpolation in {literal!r}")
        if c == "\\":
            e = body[i + 1]
            assert e in BICEP_ESCAPES or e == "u", f"bad escape \\{e} in {literal!r}"
            i += 2
            continue
        i += 1
    return unescape(body)


def bicep_strings(tree):
    return [bicep_decode(n.text.decode()) for n in nodes(tree, {"string"})]


@pytest.mark.parametrize("whole", [False, True], ids=["routes", "whole-table"])
def test_bicep_parses_and_declares_only_routes(case, whole):
    plan = plan_of(case)
    source = render(case, "bicep", ["--whole-table"] if whole else [])
    tree = BICEP.parse(source.encode())
    assert syntax_errors(tree) == []
    strings = bicep_strings(tree)
    assert plan["route_table"] in strings
    for r in plan["routes"]:
        assert r["name"] in strings and r["addressPrefix"] in strings
    types = [s for s in strings if s.startswith("Microsoft.Network/")]
    if whole:
        assert types == ["Microsoft.Network/routeTables@2025-07-01"]
        assert "deletes every other route" in source
    else:
        assert types[0] == "Microsoft.Network/routeTables@2025-07-01"
        assert set(types[1:]) == {"Microsoft.Network/routeTables/routes@2025-07-01"}
        assert re.search(r"'Microsoft.Network/routeTables@[0-9-]+' existing = \{", source)
        assert "parent: routeTable" in source


# ---- Terraform ---------------------------------------------------------------------

HCL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def hcl_decode(raw):
    """A value python-hcl2 returns for a quoted string, decoded as Terraform reads it."""
    assert raw[0] == '"' and raw[-1] == '"', raw
    body, out, i = raw[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            e = body[i + 1]
            if e == "u":
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(HCL_ESCAPES[e])
            i += 2
            continue
        if c in "$%" and body[i + 1 : i + 2] == c and body[i + 2 : i + 3] == "{":
            out.append(c + "{")
            i += 3
            continue
        assert not (c in "$%" and body[i + 1 : i + 2] == "{"), f"interpolation in {raw!r}"
        out.append(c)
        i += 1
    return "".join(out)


def test_terraform_parses_with_hcl(case):
    plan = plan_of(case)
    doc = hcl2.loads(render(case, "terraform"))
    variables = {}
    for v in doc["variable"]:
        for name, body in v.items():
            variables[name.strip('"')] = hcl_decode(body["default"])
    assert variables == {"resource_group_name": plan["resource_group"],
                         "route_table_name": plan["route_table"]}
    routes = [body for r in doc.get("resource", []) for labels in r.values() for body in labels.values()]
    assert len(routes) == len(plan["routes"])
    for body, route in zip(routes, plan["routes"]):
        assert hcl_decode(body["name"]) == route["name"]
        assert hcl_decode(body["address_prefix"]) == route["addressPrefix"]
        assert hcl_decode(body["next_hop_type"]) == route["nextHopType"]
        assert body["route_table_name"] == "${var.route_table_name}"
        if route["nextHopIpAddress"]:
            assert hcl_decode(body["next_hop_in_ip_address"]) == route["nextHopIpAddress"]


# ---- ARM ---------------------------------------------------------------------------


def arm_literal(value):
    """A template string that must be a literal. ARM reads a string that starts with `[`
    and ends with `]` as an expression, unless it starts with `[[`, which reads as the
    literal without its first `[`; every other string is a literal as it stands."""
    if value.startswith("[") and value.endswith("]"):
        assert value.startswith("[["), f"expression {value!r}"
        return value[1:]
    return value


def writable_route_properties():
    from azure.mgmt.network import models

    return {f._rest_name for f in vars(models.RoutePropertiesFormat).values()
            if hasattr(f, "_rest_name") and "create" in f._visibility}


def next_hop_types():
    from azure.mgmt.network import models

    return {t.value for t in models.RouteNextHopType}


def azure_cli_route_api_version():
    from azure.cli.command_modules.network.aaz.latest.network.route_table.route import _create

    return _create.Create._aaz_info["version"]


@pytest.mark.parametrize("whole", [False, True], ids=["routes", "whole-table"])
def test_arm_follows_the_template_rules(case, whole):
    plan = plan_of(case)
    t = json.loads(render(case, "arm", ["--whole-table"] if whole else []))
    assert t["$schema"].endswith("/deploymentTemplate.json#")
    assert t["contentVersion"] == "1.0.0.0"
    assert arm_literal(t["parameters"]["routeTableName"]["defaultValue"]) == plan["route_table"]
    for key in ("description", "snapshot", "generator"):
        arm_literal(t["metadata"][key])
    writable, hops = writable_route_properties(), next_hop_types()
    if whole:
        (table,) = t["resources"]
        assert table["type"] == "Microsoft.Network/routeTables"
        assert "deletes every other route" in t["metadata"]["deployment"]
        routes = table["properties"]["routes"]
        api = table["apiVersion"]
    else:
        assert all(r["type"] == "Microsoft.Network/routeTables/routes" for r in t["resources"])
        assert all(r["copy"]["mode"] == "serial" for r in t["resources"])
        assert all(r["copy"]["count"] == f"[length(variables('{r['copy']['name']}'))]"
                   for r in t["resources"])
        routes = [r for batch in t["variables"].values() for r in batch]
        api = t["resources"][0]["apiVersion"]
        assert "stay as they are" in t["metadata"]["deployment"]
    assert api == azure_cli_route_api_version()
    assert len(routes) == len(plan["routes"])
    for r, want in zip(routes, plan["routes"]):
        assert arm_literal(r["name"]) == want["name"]
        assert set(r["properties"]) <= writable, r["properties"]
        assert arm_literal(r["properties"]["addressPrefix"]) == want["addressPrefix"]
        assert r["properties"]["nextHopType"] in hops
        assert r["properties"].get("nextHopIpAddress") == want["nextHopIpAddress"]


# ---- ARM and Bicep, evaluated -----------------------------------------------------

# Plans of more routes than one template may hold (AzureCloud in East US 2 and Central
# US, summarized into at most 1,000 routes).
BIG = [("cloud-1000", "eastus2", ["--service", "AzureCloud", "--summarize", "--max-routes", "1000"])]


def deployed(case, fmt, extra):
    source = render(case, fmt, extra)
    if fmt == "arm":
        return arm_deployments(json.loads(source)), source
    tree = BICEP.parse(source.encode())
    assert syntax_errors(tree) == []
    return bicep_deployments(tree), source


@pytest.mark.parametrize("fmt", ["arm", "bicep"])
@pytest.mark.parametrize("whole", [False, True], ids=["routes", "whole-table"])
@pytest.mark.parametrize("case", CASES + BIG, ids=[c[0] for c in CASES + BIG])
def test_deploying_creates_every_route_once_in_order(case, fmt, whole):
    plan = plan_of(case)
    units, source = deployed(case, fmt, ["--whole-table"] if whole else [])
    assert all(u["resources"] <= 800 for u in units), [(u["name"], u["resources"]) for u in units]
    created = [route for u in units for route in u["routes"]]
    assert [name for _, name, _ in created] == [r["name"] for r in plan["routes"]]
    assert {table for table, _, _ in created} <= {plan["route_table"]}
    for (_, _, props), want in zip(created, plan["routes"]):
        assert props["addressPrefix"] == want["addressPrefix"]
        assert props["nextHopType"] == want["nextHopType"]
        assert props.get("nextHopIpAddress") == want["nextHopIpAddress"]
    nested = len(units) > 1
    assert nested == (len(plan["routes"]) > 800 and not whole)
    if nested:
        assert "nested deployments of at most 800 routes each" in source
        assert units[0]["routes"] == [] and len(units) == 1 + -(-len(plan["routes"]) // 800)


def test_the_big_plan_is_big():
    assert len(plan_of(BIG[0])["routes"]) > 800


# ---- the rest ----------------------------------------------------------------------


def test_json_csv_and_table_agree_with_the_plan(case):
    plan = plan_of(case)
    import csv

    rows = list(csv.DictReader(io.StringIO(render(case, "csv"))))
    assert [r["name"] for r in rows] == [r["name"] for r in plan["routes"]]
    table = render(case, "table").splitlines()
    header = next(l for l in table if not l.startswith("#"))
    assert header.split() == ["NAME", "ADDRESS", "PREFIX", "NEXT", "HOP", "TYPE", "NEXT", "HOP", "IP", "TAG"]
    body = [l for l in table if not l.startswith("#")][1:]
    assert len(body) == len(plan["routes"])
    for line, r in zip(body, plan["routes"]):
        cols = line.split()
        assert cols[:4] == [r["name"], r["addressPrefix"], r["nextHopType"], r["nextHopIpAddress"] or "-"]


def test_every_format_is_covered():
    listed = aztags("routes", "--help").stdout.decode()
    for fmt in FORMATS:
        assert fmt in listed
