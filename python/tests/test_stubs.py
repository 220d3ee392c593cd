"""The type stubs (`_native.pyi`) name what the compiled module has, no more, no less."""

from __future__ import annotations

import ast as pyast
from pathlib import Path

import azure_service_tags
from azure_service_tags import _native


def stub_tree():
    path = Path(azure_service_tags.__file__).with_name("_native.pyi")
    assert path.is_file(), "the wheel ships _native.pyi"
    return pyast.parse(path.read_text())


def test_the_stubs_match_the_compiled_module():
    tree = stub_tree()
    assert (Path(azure_service_tags.__file__).with_name("py.typed")).is_file()
    stub_top = {
        node.name for node in tree.body if isinstance(node, (pyast.ClassDef, pyast.FunctionDef))
    } | {
        node.target.id for node in tree.body
        if isinstance(node, pyast.AnnAssign) and isinstance(node.target, pyast.Name)
    }
    runtime_top = {name for name in dir(_native) if not name.startswith("_")}
    assert stub_top == runtime_top
    for node in tree.body:
        if not isinstance(node, pyast.ClassDef) or issubclass(getattr(_native, node.name), Exception):
            continue
        stub_members = {
            item.name for item in node.body
            if isinstance(item, pyast.FunctionDef) and not item.name.startswith("__")
        }
        cls = getattr(_native, node.name)
        runtime_members = {name for name in dir(cls) if not name.startswith("_")}
        assert stub_members == runtime_members, node.name


def test_the_package_docstring_examples_run():
    import doctest

    failed, tried = doctest.testmod(azure_service_tags)
    assert tried >= 2 and failed == 0
