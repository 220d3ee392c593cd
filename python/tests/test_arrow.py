"""The vectorized functions on pyarrow input, against the CLI; every input type; bad
input; the GIL released while Rust runs."""

from __future__ import annotations

import ipaddress
import threading
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import azure_service_tags as ast
from conftest import AML_IP, SERVICE


@pytest.fixture(scope="module")
def table(flows):
    return pq.read_table(flows.path)


def test_tags_of_a_million_addresses_are_the_cli_answers(table, flows):
    answer = ast.tags_containing_each(table["ip"])
    assert isinstance(answer, pa.ChunkedArray)
    assert answer.type == pa.list_(pa.string())
    assert answer.to_pylist() == flows.tags


def test_owned_by_and_service_match_are_the_cli_answers(table, flows):
    assert ast.owned_by_each(table["ip"], SERVICE).to_pylist() == flows.owned
    assert ast.service_match_each(table["ip"], SERVICE).to_pylist() == flows.match


def test_every_input_type_gives_the_same_answers(table, flows):
    ip = table["ip"].combine_chunks()
    expected = ast.owned_by_each(ip, SERVICE).to_pylist()
    assert expected == flows.owned
    v4_rows = [i for i, v in enumerate(table["ip_u32"].to_pylist()) if v is not None]
    by_u32 = ast.owned_by_each(table["ip_u32"], SERVICE).to_pylist()
    assert [by_u32[i] for i in v4_rows] == [expected[i] for i in v4_rows]
    assert ast.owned_by_each(table["ip_u32"].cast(pa.int64()), SERVICE).to_pylist() == by_u32
    for binary in [pa.binary(), pa.large_binary(), pa.binary_view()]:
        assert ast.owned_by_each(table["ip_bin"].cast(binary), SERVICE).to_pylist() == expected
    for text in [pa.large_string(), pa.string_view()]:
        assert ast.owned_by_each(ip.cast(text), SERVICE).to_pylist() == expected
    sample = ip.slice(0, 5000)
    assert ast.tags_containing_each(sample.dictionary_encode()).to_pylist() == ast.tags_containing_each(sample).to_pylist()
    fixed = pa.array(
        [ipaddress.ip_address(v).packed if ":" in v else ipaddress.IPv6Address(
            "::ffff:" + v).packed for v in sample.drop_null().to_pylist()],
        pa.binary(16),
    )
    assert ast.owned_by_each(fixed, SERVICE).to_pylist() == ast.owned_by_each(
        sample.drop_null(), SERVICE).to_pylist()


def test_one_array_in_one_array_out_and_methods_equal_functions(table):
    ip = table["ip"].combine_chunks().slice(0, 10_000)
    for fn, args in [
        (ast.tags_containing_each, ()),
        (ast.owned_by_each, (SERVICE,)),
        (ast.service_match_each, (SERVICE,)),
    ]:
        answer = fn(ip, *args)
        assert isinstance(answer, pa.Array) and len(answer) == len(ip)
        method = getattr(ast.public(), fn.__name__)
        assert method(ip, *args).equals(answer)
        assert fn(ip, *args, snapshot="public").equals(answer)


def test_nulls_give_nulls_and_empty_gives_empty():
    nulls = pa.array([None, None], pa.string())
    assert ast.tags_containing_each(nulls).to_pylist() == [None, None]
    assert ast.owned_by_each(nulls, SERVICE).to_pylist() == [None, None]
    assert ast.service_match_each(nulls, SERVICE).to_pylist() == [None, None]
    assert ast.owned_by_each(pa.nulls(3), SERVICE).to_pylist() == [None] * 3
    for empty in [pa.array([], pa.string()), pa.chunked_array([], pa.string()), pa.array([], pa.uint32())]:
        assert len(ast.tags_containing_each(empty)) == 0
        assert len(ast.owned_by_each(empty, SERVICE)) == 0
        assert len(ast.service_match_each(empty, SERVICE)) == 0


@pytest.mark.parametrize(
    "bad",
    ["not-an-ip", "fe80::1%eth0", "20.41.0.256", " 20.41.0.241", "", "1.2.3", "020.41.0.241"],
)
def test_a_value_that_is_not_an_address_raises_naming_its_row(bad):
    ips = pa.chunked_array([[AML_IP], ["1.1.1.1", bad]])
    for call in [lambda: ast.tags_containing_each(ips), lambda: ast.owned_by_each(ips, SERVICE),
                 lambda: ast.service_match_each(ips, SERVICE)]:
        with pytest.raises(ValueError) as e:
            call()
        assert "row 2" in str(e.value) and repr(bad).strip("'") in str(e.value)
    assert ast.owned_by_each(ips, SERVICE, errors="null").to_pylist() == [True, False, None]
    assert ast.tags_containing_each(ips, errors="null").to_pylist()[2] is None


def test_bad_binaries_and_integers():
    with pytest.raises(ValueError, match="row 1: a binary of 3 bytes"):
        ast.owned_by_each(pa.array([bytes(4), b"abc"]), SERVICE)
    with pytest.raises(ValueError, match="row 0: -1"):
        ast.owned_by_each(pa.array([-1], pa.int64()), SERVICE)
    assert ast.owned_by_each(pa.array([bytes(16), b"abc"]), SERVICE, errors="null").to_pylist() == [False, None]


def test_unsupported_inputs_raise_type_errors():
    with pytest.raises(TypeError, match="int32"):
        ast.tags_containing_each(pa.array([1, 2], pa.int32()))
    with pytest.raises(TypeError, match="Arrow array"):
        ast.tags_containing_each([AML_IP])
    with pytest.raises(ValueError, match="errors must be 'error' or 'null'"):
        ast.tags_containing_each(pa.array(["1.1.1.1"]), errors="ignore")
    with pytest.raises(ast.NotFoundError, match="AzureMachineLearnin"):
        ast.owned_by_each(pa.array(["1.1.1.1"]), "AzureMachineLearnin")


def test_the_gil_is_released_while_rust_runs(table):
    """While a long call runs in a thread, this thread keeps running Python: the largest
    pause it sees is far shorter than the call."""
    ip = pa.concat_arrays([table["ip"].combine_chunks()] * 3)
    done = threading.Event()
    spent = []

    def work():
        start = time.perf_counter()
        ast.tags_containing_each(ip)
        spent.append(time.perf_counter() - start)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    longest, last = 0.0, time.perf_counter()
    while not done.is_set():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    worker.join()
    assert spent[0] > 0.2, f"the call took only {spent[0]:.3f} s: too short to tell"
    assert longest < spent[0] / 4, f"paused {longest:.3f} s during a {spent[0]:.3f} s call"


def test_every_row_function_of_the_crate_is_a_column_function_with_one_errors_vocabulary():
    """Each function of the crate's table is ``ast.<name>_each`` and
    ``Snapshot.<name>_each``; ``errors`` takes ``error`` and ``null`` (any case), and
    ``raise``, the former word."""
    from azure_service_tags._engines import FUNCTIONS

    assert [f.name for f in FUNCTIONS][:1] == ["tags_containing"]
    ips = pa.array([AML_IP, "not an ip"])
    for f in FUNCTIONS:
        args = (ips, SERVICE) if f.takes_service else (ips,)
        module, method = getattr(ast, f"{f.name}_each"), getattr(ast.public(), f"{f.name}_each")
        assert module(*args, errors="null").to_pylist() == method(*args, errors="NULL").to_pylist()
        for word in ("error", "raise", "Error"):
            with pytest.raises(ValueError, match="not an ip"):
                module(*args, errors=word)
    assert ast.public().service_match("not an ip", SERVICE, errors="null") is None
    with pytest.raises(ValueError, match="not an ip"):
        ast.public().service_match("not an ip", SERVICE)
