"""Spark SQL functions over the crate: the JVM functions of the jar this package
carries, where the session has it, or Python UDFs over Arrow batches (``arrow_udf`` on
Spark 4.1 or newer, ``pandas_udf`` on Spark 3.5 and 4.0).

Example::

    import azure_service_tags.spark as azs
    spark = SparkSession.builder.config("spark.jars", azs.jar_path()).getOrCreate()
    fns = azs.register(spark)           # fns.path: "jvm", or "python" without the jar
    spark.sql("SELECT azure_owned_by(ip, 'AzureMachineLearning') FROM flows")
    df.select(fns.owned_by("src_ip", "AzureMachineLearning"))

On the JVM path, the SQL names are Java UDFs and the DataFrame API calls the jar's
function catalog, whose functions Spark runs inside whole-stage code generation
(``explain()`` shows ``static_invoke``). On the Python path, Spark hands each function a
batch of rows as Arrow arrays (on Spark 3.5 and 4.0 as pandas Series, turned into Arrow
arrays here) and takes an Arrow array back; the lookup runs in Rust with the GIL
released. ``service_match`` on Spark 3.5 and 4.0 answers row by row: a ``pandas_udf``
cannot return a null struct, and the function answers null where the service has no
tag. The snapshot is resolved once per executor process (the
compiled-in ones are static; a file is loaded on first use and kept), not per batch,
and each service's matcher is prepared once per process.
"""

from __future__ import annotations

import os
import sys
import warnings
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional, Union

import pyarrow as pa

from . import SnapshotSpec, Snapshot, resolve_snapshot
from ._engines import FUNCTIONS, RowFunction, checked, deprecated, embedded_cloud

__all__ = ["Functions", "JvmFunctions", "jar_path", "register"]

_JAR = os.path.join(os.path.dirname(__file__), "jars", "azure-service-tags.jar")


def jar_path() -> Optional[str]:
    """The Spark jar this package carries, for ``spark.jars`` or ``spark-submit --jars``
    (``None`` for a package built from the sdist, which has none)."""
    return _JAR if os.path.isfile(_JAR) else None


class Functions:
    """The registered Python functions, for the DataFrame API (``path`` is ``"python"``;
    ``udf_type`` is ``"arrow_udf"`` on Spark 4.1 or newer, else ``"pandas_udf"``): one
    method per per-row function of the crate's table, ``tags_containing(ip)``,
    ``owned_by(ip, service)`` and ``service_match(ip, service)``.

    ``service`` may be a column or a plain ``str``; with a ``str`` the service is bound
    into a one-argument UDF, so Spark does not ship the same text to Python with every
    row (12 to 32% faster than passing ``lit(service)`` in BENCHMARKS.md's runs).
    """

    path = "python"

    def __init__(self, spec: Any, errors: str, udf_type: str, udfs: "dict[str, Any]"):
        self._spec = spec
        self._errors = errors
        self._udfs = udfs
        self._bound: dict = {}
        self.udf_type = udf_type

    def _call(self, f: RowFunction, ip: Any, service: Any = None) -> Any:
        if not f.takes_service:
            return self._udfs[f.name](ip)
        if isinstance(service, str):
            return self._bind(f, service)(ip)
        return self._udfs[f.name](ip, service)

    def _bind(self, f: RowFunction, service: str) -> Any:
        key = (f.name, service)
        if key not in self._bound:
            spec, errors = self._spec, self._errors
            resolve_snapshot(spec).find_service(service)  # an unknown name fails here, not in Spark

            def answer(ips: pa.Array) -> pa.Array:
                return f.answer(resolve_snapshot(spec), ips, service, errors=errors)

            self._bound[key] = _udf(answer, f.spark_type, 1, self.udf_type)
        return self._bound[key]


def _method(f: RowFunction, old: Optional[str] = None) -> Callable[..., Any]:
    """The DataFrame method of ``f`` (under ``old``, deprecated), for both classes."""
    if f.takes_service:
        def call(self: Any, ip: Any, service: Any) -> Any:
            if old:
                deprecated(f"{type(self).__name__}.{old}", f.name)
            return self._call(f, ip, service)
    else:
        def call(self: Any, ip: Any) -> Any:  # type: ignore[misc]
            if old:
                deprecated(f"{type(self).__name__}.{old}", f.name)
            return self._call(f, ip)
    call.__name__ = call.__qualname__ = old or f.name
    call.__doc__ = f"Deprecated: :meth:`{f.name}`." if old else f"``{f.spark_type}``: {f.doc}."
    return call


def _udf_type() -> str:
    """The Python UDFs this Spark has over Arrow batches: ``arrow_udf`` (4.1 or newer)
    or ``pandas_udf``."""
    try:
        from pyspark.sql.functions import arrow_udf  # noqa: F401
    except ImportError:
        return "pandas_udf"
    return "arrow_udf"


def _udf(answer: Callable[..., pa.Array], return_type: str, arity: int, udf_type: str) -> Any:
    """A Spark UDF of ``arity`` columns (1 or 2) that ``answer`` computes from Arrow
    arrays: an ``arrow_udf``, or (``udf_type`` ``"pandas_udf"``) a ``pandas_udf`` that
    converts on the way in and out, or for a struct a row-at-a-time UDF."""
    if udf_type == "arrow_udf":
        from pyspark.sql.functions import arrow_udf

        return arrow_udf(_with_hints(answer, arity, pa.Array), return_type)
    if return_type.startswith("struct"):
        return _row_udf(answer, return_type, arity)
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    def converted(*series: Any) -> Any:
        return answer(*map(_from_pandas, series)).to_pandas()

    return pandas_udf(_with_hints(converted, arity, pd.Series), return_type)


def _with_hints(f: Callable[..., Any], arity: int, kind: type) -> Callable[..., Any]:
    """``f`` as a function of ``arity`` positional arguments with the type hints
    (``kind`` in, ``kind`` out) from which Spark tells which UDF it is."""
    if arity == 1:
        def one(ips):  # type: ignore[no-untyped-def]
            return f(ips)

        one.__annotations__ = {"ips": kind, "return": kind}
        return one

    def two(ips, services):  # type: ignore[no-untyped-def]
        return f(ips, services)

    two.__annotations__ = {"ips": kind, "services": kind, "return": kind}
    return two


def _from_pandas(series: Any) -> pa.Array:
    """The Arrow array of a pandas Series that Spark made from a column: a ``bigint``
    column with nulls arrives as floats, and is turned back into integers."""
    array = pa.Array.from_pandas(series)
    return array.cast(pa.int64()) if pa.types.is_floating(array.type) else array


def _row_udf(answer: Callable[..., pa.Array], return_type: str, arity: int) -> Any:
    """A row-at-a-time UDF over ``answer``: each row as an array of one."""
    from pyspark.sql.functions import udf

    def one_row(*values: Any) -> Any:
        if any(v is None for v in values):
            return None
        hit = answer(*(pa.array([v]) for v in values))[0].as_py()
        return hit and tuple(hit.values())

    return udf(one_row, return_type)


class JvmFunctions:
    """The jar's functions, for the DataFrame API (``path`` is ``"jvm"``): calls of the
    function catalog ``catalog`` that :func:`register` configured, one method per
    per-row function of the crate's table. ``ip`` and ``service`` are column names,
    columns or (``service``) plain strings."""

    path = "jvm"

    def __init__(self, catalog: str):
        self.catalog = catalog

    def _call(self, f: RowFunction, ip: Any, service: Any = None) -> Any:
        from pyspark.sql import functions as F

        args = [F.col(ip) if isinstance(ip, str) else ip]
        if f.takes_service:
            args.append(F.lit(service) if isinstance(service, str) else service)
        return F.call_function(f"{self.catalog}.{f.name}", *args)


def _define_methods() -> None:
    """Each function of the table as a method of both classes, and its former names."""
    for cls in (Functions, JvmFunctions):
        for f in FUNCTIONS:
            setattr(cls, f.name, _method(f))
            for old in f.deprecated_names:
                setattr(cls, old, _method(f, old))


_define_methods()


def _is_connect(spark: Any) -> bool:
    """Whether ``spark`` is a Spark Connect session: a client of a server's JVM."""
    return type(spark).__module__.startswith("pyspark.sql.connect")


def _jvm_why_not(spark: Any, cloud: Optional[str]) -> Optional[str]:
    """Why the jar's functions cannot serve this session, or ``None`` when they can (or,
    on Spark Connect, may: the server takes the jar or says why not)."""
    if cloud is None:
        return "snapshot= names a file; the jar answers for the clouds it carries"
    if _is_connect(spark):
        return None if jar_path() else "the package carries no jar (it was built from the sdist)"
    jvm = getattr(spark, "_jvm", None)
    if jvm is None:
        return "the session has no JVM gateway"
    try:
        loader = jvm.java.lang.Thread.currentThread().getContextClassLoader()
        jvm.java.lang.Class.forName("azureservicetags.spark.AzureCatalog", True, loader)
    except Exception:  # py4j raises Py4JJavaError for ClassNotFoundException
        return ("the jar is not on the driver's classpath (set spark.jars to "
                "azure_service_tags.spark.jar_path() before the first session of the process starts)")
    return None


def _java_class(f: RowFunction) -> str:
    """The jar's Java UDF of ``f``: its name in CamelCase (``OwnedBy``)."""
    return "azureservicetags.spark.Udfs$" + "".join(w.title() for w in f.name.split("_"))


def _register_jvm(spark: Any, cloud: str, prefix: str, errors: str) -> JvmFunctions:
    """The jar's functions: a function catalog for the DataFrame API, Java UDFs under
    the SQL names. On Spark Connect the jar is first added to the session's classpath
    on the server."""
    if _is_connect(spark):
        spark.addArtifacts(jar_path())
    rule = "null" if errors.lower() == "null" else "error"
    catalog = f"{prefix}service_tags_{cloud}" + ("_null" if rule == "null" else "")
    spark.conf.set(f"spark.sql.catalog.{catalog}", "azureservicetags.spark.AzureCatalog")
    spark.conf.set(f"spark.sql.catalog.{catalog}.snapshot", cloud)
    spark.conf.set(f"spark.sql.catalog.{catalog}.errors", rule)
    # A UDF registered by class name reads these settings when it is made.
    with _settings(spark, snapshot=cloud, errors=rule):
        for f in FUNCTIONS:
            for name in f.names():
                spark.udf.registerJavaFunction(f"{prefix}{name}", _java_class(f), f.spark_type)
    return JvmFunctions(catalog)


@contextmanager
def _settings(spark: Any, **values: str) -> Iterator[None]:
    """The session's ``spark.azureservicetags.*`` settings ``values`` for the block,
    then as they were."""
    keys = {f"spark.azureservicetags.{k}": v for k, v in values.items()}
    before = {k: spark.conf.get(k, None) for k in keys}
    for k, v in keys.items():
        spark.conf.set(k, v)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                spark.conf.unset(k)
            else:
                spark.conf.set(k, v)


def _portable(snapshot: SnapshotSpec) -> Any:
    """What the UDFs take to the executors: a compiled-in name, a path, or a Snapshot
    (which pickles as its cloud or its path; executors must see the same path)."""
    if snapshot is None or isinstance(snapshot, (str, Snapshot)):
        return snapshot
    return os.fspath(snapshot)


def _register_as(spark: Any, names: "tuple[str, ...]", udf: Any) -> Any:
    """Registers ``udf`` under each name; returns the first registration."""
    first, *others = names
    for name in others:
        spark.udf.register(name, udf)
    return spark.udf.register(first, udf)


def register(
    spark: Any,
    *,
    snapshot: SnapshotSpec = None,
    prefix: str = "azure_",
    errors: str = "error",
    native: Optional[bool] = None,
) -> Union[Functions, JvmFunctions]:
    """Registers each per-row function of the crate's table as a SQL function of
    ``spark``, ``{prefix}<name>`` (``{prefix}tags_containing(ip)``,
    ``{prefix}owned_by(ip, service)``, ``{prefix}service_match(ip, service)``, and under
    the deprecated names, ``{prefix}tags``), and returns them for the DataFrame API. The
    answer's ``path`` says which functions these are.

    The jar's JVM functions (``native=None``, the default: where the session has the
    jar, or is a Spark Connect session, which gets the package's jar through
    ``addArtifacts``, and ``snapshot`` is a cloud; ``True``: them or an error saying why
    not; ``False``: never), else Python UDFs over Arrow batches (``Functions.udf_type``
    says which). ``ip`` may be a string, a ``bigint`` IPv4 or a
    4/16-byte ``binary`` column. ``errors="null"`` answers null for values that are not
    addresses instead of failing the query.
    """
    # A bad snapshot or errors= fails here, on the driver, not in the executors.
    checked(resolve_snapshot(snapshot), errors)
    if native is not False:
        cloud = embedded_cloud(snapshot)
        why = _jvm_why_not(spark, cloud)
        if why is None:
            try:
                return _register_jvm(spark, cloud, prefix, errors)
            except Exception as e:  # a Spark Connect server that did not take the jar
                if native or not _is_connect(spark):
                    raise
                warnings.warn(f"the Spark Connect server did not take the jar ({e}): the Python UDFs answer",
                              RuntimeWarning, stacklevel=2)
        if native:
            raise RuntimeError(f"the jar's Spark functions cannot be used here: {why}")
    return _register_python(spark, snapshot, prefix, errors)


def _local_workers_use_this_python(spark: Any) -> None:
    """On a local session whose Python workers nobody chose (``PYSPARK_PYTHON``,
    ``spark.pyspark.python``), the UDFs made after this run in this interpreter, which
    has this package and pyarrow: Spark would start ``python3`` from ``PATH``, which,
    in a virtual environment that is not activated, has neither."""
    if _is_connect(spark) or os.environ.get("PYSPARK_PYTHON"):
        return
    sc = spark.sparkContext
    if sc.master.startswith("local") and not sc.getConf().get("spark.pyspark.python"):
        sc.pythonExec = sys.executable


def _register_python(spark: Any, snapshot: SnapshotSpec, prefix: str, errors: str) -> Functions:
    """The Python UDFs over Arrow batches."""
    _local_workers_use_this_python(spark)
    spec = _portable(snapshot)
    kind = _udf_type()

    udfs = {}
    for f in FUNCTIONS:

        def answer(*columns: pa.Array, f: RowFunction = f) -> pa.Array:
            return f.answer(resolve_snapshot(spec), *columns, errors=errors)

        udf = _udf(answer, f.spark_type, 2 if f.takes_service else 1, kind)
        udfs[f.name] = _register_as(spark, tuple(prefix + n for n in f.names()), udf)
    return Functions(spec, errors, kind, udfs)
