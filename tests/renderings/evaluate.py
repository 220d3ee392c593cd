"""What an ARM template or a Bicep file would create when deployed: an evaluator of the
template language subset the renderings use, written from Microsoft's documented rules,
so that the suite checks deployments by evaluation instead of text search.

ARM: a string is an expression only when it starts with `[` and ends with `]`; such a
string starting with `[[` is the literal without its first `[`; every other string is a
literal as it stands. Copy loops (`serial`, `batchSize` 1) create their copies in index
order; nested deployments (`Microsoft.Resources/deployments`, inner scope) deploy their
own template with the parameters passed; `dependsOn` orders resources. One template
(one deployment) may declare at most 800 resources, copies included.

Bicep: the parse tree of tree-sitter-bicep, evaluated: parameters and their defaults,
variables, `for` loops, `existing` parents (a child's name is `parent/name`),
interpolation, `format`, `take`, `deployment()`, `resourceId`, and nested deployments
whose template is evaluated in the file's scope.

`arm_deployments(template)` and `bicep_deployments(source, tree)` return the deployment
units in the order they run, each with its resource count and the routes it creates, in
order, as (route table name, route name, properties).
"""

import hashlib
import re

RESOURCE_LIMIT = 800
ROUTE = "Microsoft.Network/routeTables/routes"
TABLE = "Microsoft.Network/routeTables"
DEPLOYMENT = "Microsoft.Resources/deployments"


def resource_id(rtype, *names):
    return f"/providers/{rtype}/" + "/".join(names)


def format_string(fmt, *args):
    """.NET composite formatting, as ARM's and Bicep's `format` do: `{N}`, `{{`, `}}`."""
    def text(v):
        return str(v).lower() if isinstance(v, bool) else str(v)

    out, i = [], 0
    while i < len(fmt):
        if fmt.startswith("{{", i) or fmt.startswith("}}", i):
            out.append(fmt[i])
            i += 2
        elif fmt[i] == "{":
            end = fmt.index("}", i)
            out.append(text(args[int(fmt[i + 1 : end])]))
            i = end + 1
        else:
            out.append(fmt[i])
            i += 1
    return "".join(out)


def call(name, args, deployment_name):
    """The functions both languages share."""
    if name == "format":
        return format_string(*args)
    if name == "take":
        return args[0][: args[1]]
    if name == "concat":
        return "".join(args)
    if name == "length":
        return len(args[0])
    if name == "deployment":
        return {"name": deployment_name}
    if name == "resourceGroup":
        return {"location": "testlocation", "name": "rg"}
    if name == "resourceId":
        return resource_id(args[0], *args[1:])
    if name == "uniqueString":
        return hashlib.sha256("|".join(args).encode()).hexdigest()[:13]
    raise AssertionError(f"unknown function {name}()")


# ---- ARM -----------------------------------------------------------------------------

TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+)|(?P<id>[A-Za-z_][A-Za-z0-9_]*)|(?P<p>[()\[\].,]))")


def tokens(expr):
    pos, out = 0, []
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        assert m and m.end() > pos, f"cannot read expression {expr!r} at {pos}"
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        out.append((kind, value[1:-1].replace("''", "'") if kind == "str" else value))
    return out


class ArmScope:
    def __init__(self, template, parameters, deployment_name, copy_index=None):
        self.template = template
        self.parameters = parameters
        self.deployment_name = deployment_name
        self.copy_index = copy_index

    def at(self, index):
        return ArmScope(self.template, self.parameters, self.deployment_name, index)

    def value(self, v):
        """A template value with every string read by ARM's rules."""
        if isinstance(v, dict):
            return {k: self.value(x) for k, x in v.items()}
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, str) and v.startswith("[") and v.endswith("]"):
            if v.startswith("[["):
                return v[1:]
            return self.expression(v[1:-1])
        return v

    def expression(self, text):
        toks = tokens(text)
        value, rest = self.parse(toks)
        assert not rest, f"trailing {rest} in {text!r}"
        return value

    def parse(self, toks):
        kind, tok = toks[0]
        toks = toks[1:]
        if kind == "str":
            value = tok
        elif kind == "num":
            value = int(tok)
        elif kind == "id":
            assert toks and toks[0] == ("p", "("), f"{tok} is not a call"
            toks, args = toks[1:], []
            while toks[0] != ("p", ")"):
                arg, toks = self.parse(toks)
                args.append(arg)
                if toks[0] == ("p", ","):
                    toks = toks[1:]
            toks = toks[1:]
            value = self.function(tok, args)
        else:
            raise AssertionError(f"unexpected {tok!r}")
        while toks and toks[0] in (("p", "."), ("p", "[")):
            if toks[0] == ("p", "."):
                value, toks = value[toks[1][1]], toks[2:]
            else:
                index, toks = self.parse(toks[1:])
                assert toks[0] == ("p", "]")
                value, toks = value[index], toks[1:]
        return value, toks

    def function(self, name, args):
        if name == "parameters":
            return self.parameters[args[0]]
        if name == "variables":
            return self.value(self.template["variables"][args[0]])
        if name == "copyIndex":
            assert self.copy_index is not None, "copyIndex() outside a copy loop"
            return self.copy_index
        return call(name, args, self.deployment_name)


def copies(resource, scope):
    if "copy" not in resource:
        return 1
    return scope.value(resource["copy"]["count"])


def one_at_a_time(items, ids, depends):
    """The items in the only order their dependencies allow: each step exactly one is
    ready (the deployment is serial), else the evaluation fails."""
    done, order = set(), []
    while len(order) < len(items):
        ready = [i for i in range(len(items)) if i not in done and depends[i] <= done]
        assert len(ready) == 1, f"not one at a time: ready together {[ids[i] for i in ready]}"
        done.add(ready[0])
        order.append(ready[0])
    return [items[i] for i in order]


def dependencies(deps, ids):
    """The indices of the items that the references in `deps` name."""
    found = set()
    for d in deps:
        hits = [i for i, names in enumerate(ids) if d in names]
        assert len(hits) == 1, f"dependsOn {d!r} names {len(hits)} resources"
        found.add(hits[0])
    return found


def arm_deployments(template, parameters=None, deployment_name="main"):
    """The deployment units `template` runs, in order."""
    scope0 = ArmScope(template, {}, deployment_name)
    values = {}
    for name, spec in template.get("parameters", {}).items():
        given = (parameters or {}).get(name)
        values[name] = given if given is not None else scope0.value(spec["defaultValue"])
    scope = ArmScope(template, values, deployment_name)
    resources = template["resources"]
    count = sum(copies(r, scope) for r in resources)
    assert count <= RESOURCE_LIMIT, f"{count} resources in one template"
    unit = {"name": deployment_name, "resources": count, "routes": []}
    units = [unit]
    ids = []
    for r in resources:
        names = {r["copy"]["name"]} if "copy" in r else set()
        if "copy" not in r:
            name = scope.value(r["name"])
            names |= {name, resource_id(r["type"], *name.split("/"))}
        ids.append(names)
    depends = [dependencies(scope.value(r.get("dependsOn", [])), ids) for r in resources]
    for r in one_at_a_time(resources, ids, depends):
        if r["type"] == DEPLOYMENT:
            props = r["properties"]
            assert props["mode"] == "Incremental"
            assert props["expressionEvaluationOptions"]["scope"] == "inner"
            passed = {k: scope.value(v["value"]) for k, v in props["parameters"].items()}
            units += arm_deployments(props["template"], passed, scope.value(r["name"]))
        elif r["type"] == ROUTE:
            if "copy" in r:
                assert (r["copy"]["mode"], r["copy"]["batchSize"]) == ("serial", 1), r["copy"]
            for i in range(copies(r, scope)):
                at = scope.at(i) if "copy" in r else scope
                table, route = at.value(r["name"]).rsplit("/", 1)
                unit["routes"].append((table, route, at.value(r["properties"])))
        elif r["type"] == TABLE:
            table = scope.value(r["name"])
            for route in scope.value(r["properties"]["routes"]):
                unit["routes"].append((table, route["name"], route["properties"]))
        else:
            raise AssertionError(f"unexpected resource type {r['type']}")
    return units


# ---- Bicep ---------------------------------------------------------------------------

BICEP_ESCAPES = {"\\": "\\", "'": "'", "n": "\n", "r": "\r", "t": "\t", "$": "$"}


def unescape(body):
    """Bicep's escapes in a string's text."""
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            e = body[i + 1]
            if e == "u":
                end = body.index("}", i)
                out.append(chr(int(body[i + 3 : end], 16)))
                i = end + 1
                continue
            out.append(BICEP_ESCAPES[e])
            i += 2
            continue
        out.append(body[i])
        i += 1
    return "".join(out)


class Ref(dict):
    """A resource named by its symbol: its name is evaluated when asked for."""

    def __init__(self, bicep, symbol):
        super().__init__(symbol=symbol)
        self.bicep = bicep

    def __getitem__(self, key):
        if key == "name":
            return self.bicep.resource_name(self["symbol"])
        return dict.__getitem__(self, key)


class Bicep:
    def __init__(self, tree, deployment_name="main"):
        self.deployment_name = deployment_name
        self.params, self.vars, self.resources = {}, {}, {}
        batch = None
        for node in tree.root_node.named_children:
            if node.type == "decorators":
                batch = node
                continue
            kids = node.named_children
            if node.type == "parameter_declaration":
                self.params[kids[0].text.decode()] = kids[-1]
            elif node.type == "variable_declaration":
                self.vars[kids[0].text.decode()] = kids[-1]
            elif node.type == "resource_declaration":
                self.resources[kids[0].text.decode()] = {
                    "type": self.string(kids[1], {}).split("@")[0],
                    "body": kids[-1],
                    "existing": any(c.type == "existing" or c.text == b"existing" for c in node.children),
                    "batch": batch.text.decode() if batch else None,
                }
            batch = None

    def string(self, node, local):
        """A string's value: its text decoded by Bicep's escapes (from the source, since
        the grammar drops `\\$`), with each `${...}` evaluated."""
        raw, base = node.text, node.start_byte
        out, pos = [], 1
        for part in node.named_children:
            if part.type == "interpolation":
                out.append(unescape(raw[pos : part.start_byte - base].decode()))
                out.append(str(self.value(part.named_children[0], local)))
                pos = part.end_byte - base
        out.append(unescape(raw[pos:-1].decode()))
        return "".join(out)

    def value(self, node, local):
        t = node.type
        if t == "string":
            return self.string(node, local)
        if t == "number":
            return int(node.text)
        if t == "object":
            return {self.key(p): self.value(p.named_children[-1], local) for p in node.named_children
                    if p.type == "object_property"}
        if t == "array":
            return self.items(node.named_children, local)
        if t == "identifier":
            name = node.text.decode()
            if name in local:
                return local[name]
            if name in self.params:
                return self.value(self.params[name], {})
            if name in self.vars:
                return self.value(self.vars[name], {})
            if name in self.resources:
                return Ref(self, name)
            raise AssertionError(f"unknown name {name}")
        if t == "member_expression":
            obj, prop = node.named_children
            return self.value(obj, local)[prop.text.decode()]
        if t == "call_expression":
            fn, args = node.named_children
            return call(fn.text.decode(), [self.value(a, local) for a in args.named_children],
                        self.deployment_name)
        raise AssertionError(f"cannot evaluate {t}: {node.text.decode()[:80]}")

    def items(self, nodes, local):
        """Array items; tree-sitter-bicep reads a call at the start of a line in a
        `dependsOn` array as a name followed by a parenthesized list: one call here."""
        out, i = [], 0
        while i < len(nodes):
            n = nodes[i]
            if n.type == "identifier" and i + 1 < len(nodes) and nodes[i + 1].type == "parenthesized_expression":
                args = [self.value(a, local) for a in nodes[i + 1].named_children]
                out.append(call(n.text.decode(), args, self.deployment_name))
                i += 2
                continue
            out.append(self.value(n, local))
            i += 1
        return out

    def key(self, prop):
        k = prop.named_children[0]
        return self.string(k, {}) if k.type == "string" else k.text.decode()

    def body(self, symbol):
        """The resource's object (the loop body for a `for`), and the loop's items."""
        body = self.resources[symbol]["body"]
        if body.type == "for_statement":
            var, items, obj = body.named_children
            return obj, var.text.decode(), self.value(items, {})
        return body, None, None

    def resource_name(self, symbol):
        obj, var, _ = self.body(symbol)
        assert var is None, "a loop's name is per item"
        return self.value(obj, {})["name"]

    def instances(self, symbol):
        """The objects a declaration creates: one, or one per loop item."""
        obj, var, items = self.body(symbol)
        if var is None:
            return [self.value(obj, {})]
        return [self.value(obj, {var: item}) for item in items]

    def deployments(self):
        symbols = [s for s, r in self.resources.items() if not r["existing"]]
        count = sum(len(self.instances(s)) for s in symbols)
        assert count <= RESOURCE_LIMIT, f"{count} resources in one Bicep file"
        unit = {"name": self.deployment_name, "resources": count, "routes": []}
        units = [unit]
        ids = [{s} for s in symbols]
        depends = []
        for s in symbols:
            deps = {d["symbol"] for i in self.instances(s) for d in i.get("dependsOn", [])}
            depends.append(dependencies(deps, ids))
        for s in one_at_a_time(symbols, ids, depends):
            r = self.resources[s]
            made = self.instances(s)
            if r["type"] == DEPLOYMENT:
                (d,) = made
                assert d["properties"]["mode"] == "Incremental"
                assert "expressionEvaluationOptions" not in d["properties"], "the file's scope"
                units.append(nested_values(d["properties"]["template"], d["name"]))
            elif r["type"] == ROUTE:
                if len(made) > 1:
                    assert r["batch"] == "@batchSize(1)", f"{s}: loop not serial"
                for route in made:
                    parent = route.get("parent")
                    assert parent is not None, f"{s}: a route needs its table as parent"
                    unit["routes"].append((parent["name"], route["name"], route["properties"]))
            elif r["type"] == TABLE:
                (table,) = made
                for route in table["properties"]["routes"]:
                    unit["routes"].append((table["name"], route["name"], route["properties"]))
            else:
                raise AssertionError(f"unexpected resource type {r['type']}")
        return units


def nested_values(template, deployment_name):
    """A nested template evaluated in its parent's scope: values only, no expressions."""
    resources = template["resources"]
    assert len(resources) <= RESOURCE_LIMIT, f"{len(resources)} resources in one template"
    unit = {"name": deployment_name, "resources": len(resources), "routes": []}
    ids = [{r["name"], resource_id(r["type"], *r["name"].split("/"))} for r in resources]
    depends = [dependencies(r.get("dependsOn", []), ids) for r in resources]
    for r in one_at_a_time(resources, ids, depends):
        assert r["type"] == ROUTE, r["type"]
        table, route = r["name"].rsplit("/", 1)
        unit["routes"].append((table, route, r["properties"]))
    return unit


def bicep_deployments(tree):
    """The deployment units a parsed Bicep file runs, in order."""
    return Bicep(tree).deployments()
