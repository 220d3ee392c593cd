"""Spark SQL functions over the crate: the JVM functions of the jar this package
carries, where the session has it, or Arrow UDFs (Spark 4.1 or newer).

Example::

    import azure_service_tags.spark as azs
    spark = SparkSession.builder.config("spark.jars", azs.jar_path()).getOrCreate()
    fns = azs.register(spark)           # fns.path: "jvm", or "python" without the jar
    spark.sql("SELECT azure_owned_by(ip, 'AzureMachineLearning') FROM flows")
    df.select(fns.owned_by("src_ip", "AzureMachineLearning"))

On the JVM path, the SQL names are Java UDFs and the DataFrame API calls the jar's
function catalog, whose functions Spark runs inside whole-stage code generation
(``explain()`` shows ``static_invoke``). On the Python path, Spark hands each function a
batch of rows as Arrow arrays and takes an Arrow array back; the lookup runs in Rust
with the GIL released. The snapshot is resolved once per executor process (the
compiled-in ones are static; a file is loaded on first use and kept), not per batch,
and each service's matcher is prepared once per process.
"""

from __future__ import annotations

import os
from typing import Any, Optional, Union

import pyarrow as pa

from . import _EMBEDDED, SnapshotSpec, Snapshot, resolve_snapshot
from ._engines import by_service, checked, deprecated

__all__ = ["Functions", "JvmFunctions", "jar_path", "register"]

_JAR = os.path.join(os.path.dirname(__file__), "jars", "azure-service-tags.jar")
_CLOUDS = tuple(_EMBEDDED)  # the compiled-in clouds, by the names snapshot= takes


def jar_path() -> Optional[str]:
    """The Spark jar this package carries, for ``spark.jars`` or ``spark-submit --jars``
    (``None`` for a package built from the sdist, which has none)."""
    return _JAR if os.path.isfile(_JAR) else None


class Functions:
    """The registered Python functions, for the DataFrame API (``path`` is ``"python"``).

    ``service`` may be a column or a plain ``str``; with a ``str`` the service is bound
    into a one-argument UDF, so Spark does not ship the same text to Python with every
    row (12 to 32% faster than passing ``lit(service)`` in BENCHMARKS.md's runs).
    """

    path = "python"

    def __init__(self, spec: Any, errors: str, tags: Any, owned_by: Any, service_match: Any):
        self._spec = spec
        self._errors = errors
        self._tags = tags
        self._owned_by = owned_by
        self._service_match = service_match
        self._bound: dict = {}

    def tags_containing(self, ip: Any) -> Any:
        """``array<string>``: the tags containing each address of ``ip``."""
        return self._tags(ip)

    def tags(self, ip: Any) -> Any:
        """Deprecated: :meth:`tags_containing`."""
        deprecated("Functions.tags", "tags_containing")
        return self._tags(ip)

    def owned_by(self, ip: Any, service: Any) -> Any:
        """``boolean``: whether each address of ``ip`` is ``service``'s."""
        if isinstance(service, str):
            return self._bind("owned_by", "boolean", service)(ip)
        return self._owned_by(ip, service)

    def service_match(self, ip: Any, service: Any) -> Any:
        """``struct<tag: string, region: string>``: the service's most specific tag
        containing each address, and its region."""
        if isinstance(service, str):
            return self._bind("service_match", "struct<tag: string, region: string>", service)(ip)
        return self._service_match(ip, service)

    def _bind(self, name: str, return_type: str, service: str) -> Any:
        key = (name, service)
        if key not in self._bound:
            from pyspark.sql.functions import arrow_udf

            spec, errors = self._spec, self._errors
            resolve_snapshot(spec).find_service(service)  # an unknown name fails here, not in Spark

            def answer(ips: pa.Array) -> pa.Array:
                each = getattr(resolve_snapshot(spec), f"{name}_each")
                return each(ips, service, errors=errors)

            answer.__annotations__ = {"ips": pa.Array, "return": pa.Array}
            self._bound[key] = arrow_udf(answer, return_type)
        return self._bound[key]


class JvmFunctions:
    """The jar's functions, for the DataFrame API (``path`` is ``"jvm"``): calls of the
    function catalog ``catalog`` that :func:`register` configured. ``ip`` and
    ``service`` are column names, columns or (``service``) plain strings."""

    path = "jvm"

    def __init__(self, catalog: str):
        self.catalog = catalog

    def _call(self, name: str, *args: Any) -> Any:
        from pyspark.sql import functions as F

        return F.call_function(f"{self.catalog}.{name}", *args)

    @staticmethod
    def _column(c: Any) -> Any:
        from pyspark.sql import functions as F

        return F.col(c) if isinstance(c, str) else c

    def tags_containing(self, ip: Any) -> Any:
        """``array<string>``: the tags containing each address of ``ip``."""
        return self._call("tags", self._column(ip))

    def owned_by(self, ip: Any, service: Union[str, Any]) -> Any:
        """``boolean``: whether each address of ``ip`` is ``service``'s."""
        from pyspark.sql import functions as F

        s = F.lit(service) if isinstance(service, str) else service
        return self._call("owned_by", self._column(ip), s)

    def service_match(self, ip: Any, service: Union[str, Any]) -> Any:
        """``struct<tag: string, region: string>``: the service's tag containing each
        address (a regional one first), and its region."""
        from pyspark.sql import functions as F

        s = F.lit(service) if isinstance(service, str) else service
        return self._call("service_match", self._column(ip), s)


def _cloud(snapshot: SnapshotSpec) -> Optional[str]:
    """The compiled-in cloud ``snapshot`` names (``None``: Public), or ``None`` for a
    file or a ``Snapshot`` object."""
    if snapshot is None:
        return "public"
    if isinstance(snapshot, str) and snapshot.lower() in _CLOUDS:
        return snapshot.lower()
    return None


def _jvm_why_not(spark: Any, cloud: Optional[str]) -> Optional[str]:
    """Why the jar's functions cannot serve this session, or ``None`` when they can."""
    if cloud is None:
        return "snapshot= names a file or a Snapshot object; the jar answers for the clouds it carries"
    jvm = getattr(spark, "_jvm", None)
    if jvm is None:
        return "the session has no JVM gateway (Spark Connect)"
    try:
        loader = jvm.java.lang.Thread.currentThread().getContextClassLoader()
        jvm.java.lang.Class.forName("azureservicetags.spark.AzureCatalog", True, loader)
    except Exception:  # py4j raises Py4JJavaError for ClassNotFoundException
        return ("the jar is not on the driver's classpath (set spark.jars to "
                "azure_service_tags.spark.jar_path() before the first session of the process starts)")
    return None


def _register_jvm(spark: Any, cloud: str, prefix: str, errors: str) -> JvmFunctions:
    """The jar's functions: a function catalog for the DataFrame API, Java UDFs under
    the SQL names."""
    null = errors == "null"
    catalog = f"{prefix}service_tags_{cloud}" + ("_null" if null else "")
    spark.conf.set(f"spark.sql.catalog.{catalog}", "azureservicetags.spark.AzureCatalog")
    spark.conf.set(f"spark.sql.catalog.{catalog}.snapshot", cloud)
    spark.conf.set(f"spark.sql.catalog.{catalog}.errors", "null" if null else "error")
    jvm = spark._jvm
    udfs = jvm.azureservicetags.spark
    types = jvm.org.apache.spark.sql.types.DataType
    registry = spark._jsparkSession.udf()
    for name in (f"{prefix}tags_containing", f"{prefix}tags"):
        registry.register(name, getattr(udfs, "Udfs$TagsContaining")(cloud, null), types.fromDDL("array<string>"))
    registry.register(f"{prefix}owned_by", getattr(udfs, "Udfs$OwnedBy")(cloud, null), types.fromDDL("boolean"))
    registry.register(f"{prefix}service_match", getattr(udfs, "Udfs$ServiceMatch")(cloud, null),
                      types.fromDDL("struct<tag: string, region: string>"))
    return JvmFunctions(catalog)


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
    errors: str = "raise",
    native: Optional[bool] = None,
) -> Union[Functions, JvmFunctions]:
    """Registers ``{prefix}tags_containing(ip)``, ``{prefix}owned_by(ip, service)`` and
    ``{prefix}service_match(ip, service)`` as SQL functions of ``spark`` and returns
    them for the DataFrame API; also ``{prefix}tags``, the deprecated name of
    ``{prefix}tags_containing``. The answer's ``path`` says which functions these are.

    The jar's JVM functions (``native=None``, the default: where the session has the
    jar and ``snapshot`` is a cloud; ``True``: them or an error saying why not;
    ``False``: never), else Arrow UDFs. ``ip`` may be a string, a ``bigint`` IPv4 or a
    4/16-byte ``binary`` column. ``errors="null"`` answers null for values that are not
    addresses instead of failing the query.
    """
    # A bad snapshot or errors= fails here, on the driver, not in the executors.
    checked(resolve_snapshot(snapshot), errors)
    if native is not False:
        cloud = _cloud(snapshot)
        why = _jvm_why_not(spark, cloud)
        if why is None:
            return _register_jvm(spark, cloud, prefix, errors)
        if native:
            raise RuntimeError(f"the jar's Spark functions cannot be used here: {why}")
    return _register_python(spark, snapshot, prefix, errors)


def _register_python(spark: Any, snapshot: SnapshotSpec, prefix: str, errors: str) -> Functions:
    """The Arrow UDFs."""
    from pyspark.sql.functions import arrow_udf

    spec = _portable(snapshot)

    @arrow_udf("array<string>")
    def tags(ips: pa.Array) -> pa.Array:
        return resolve_snapshot(spec).tags_containing_each(ips, errors=errors)

    @arrow_udf("boolean")
    def owned_by(ips: pa.Array, services: pa.Array) -> pa.Array:
        snap = resolve_snapshot(spec)
        return by_service(lambda i, s: snap.owned_by_each(i, s, errors=errors), ips, services)

    @arrow_udf("struct<tag: string, region: string>")
    def service_match(ips: pa.Array, services: pa.Array) -> pa.Array:
        snap = resolve_snapshot(spec)
        return by_service(lambda i, s: snap.service_match_each(i, s, errors=errors), ips, services)

    return Functions(
        spec,
        errors,
        tags=_register_as(spark, (f"{prefix}tags_containing", f"{prefix}tags"), tags),
        owned_by=spark.udf.register(f"{prefix}owned_by", owned_by),
        service_match=spark.udf.register(f"{prefix}service_match", service_match),
    )
