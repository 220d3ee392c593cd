"""The DuckDB extension in one DuckDB version (the one installed here): from the
oldest it claims (1.2.0, which loads the _gcc4 file on Linux) it loads and answers;
an older DuckDB refuses it with an error naming the C API version it needs. Where the
package is installed too, ``azure_service_tags.duckdb.connect()`` takes the extension
the wheel carries from 1.2.0 on, and the Python UDFs before.

Usage: check_duckdb_version.py EXTENSION_DIR (the directory build-duckdb-extension.sh
writes, target/duckdb)."""

from __future__ import annotations

import os
import sys

import duckdb


def package_takes(path: str) -> None:
    """``register`` took ``path`` and its functions answer."""
    try:
        import azure_service_tags.duckdb as azd
    except ImportError:
        return
    import azure_service_tags as ast

    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    assert azd.register(con) == path, path
    # An address of Azure Machine Learning in East US 2, from the package's data.
    aml = ast.public().tag("AzureMachineLearning.EastUS2").ipv4()[0].split("/")[0]
    row = con.sql(f"SELECT azure_owned_by('{aml}', 'AzureMachineLearning')").fetchall()
    assert row == [(True,)], row
    print(f"duckdb {duckdb.__version__}: register() took the {path} path")


here = sys.argv[1]
version = tuple(int(p) for p in duckdb.__version__.split(".")[:2])
con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
platform = con.sql("PRAGMA platform").fetchall()[0][0]
path = os.path.join(here, "azure_service_tags.duckdb_extension")
if platform.endswith("_gcc4"):
    path = os.path.join(here, platform, "azure_service_tags.duckdb_extension")
if version < (1, 2):
    try:
        con.sql(f"LOAD '{path}'")
    except duckdb.Error as e:
        assert "v1.2.0" in str(e), e
        print(f"duckdb {duckdb.__version__}: refused, naming the C API version it needs")
        package_takes("python")
        sys.exit(0)
    sys.exit(f"duckdb {duckdb.__version__} loaded an extension that needs C API v1.2.0")
con.sql(f"LOAD '{path}'")
# An address of Azure Machine Learning in East US 2, from the extension's data.
aml = con.sql("SELECT first FROM azure_tag_prefixes('AzureMachineLearning.EastUS2') "
              "WHERE family = 'ipv4' LIMIT 1").fetchall()[0][0]
row = con.sql(
    f"SELECT azure_owned_by('{aml}', 'AzureMachineLearning'), "
    f"azure_service_match('{aml}', 'AzureMachineLearning').region, "
    f"list_contains(azure_tags_containing('{aml}'), 'AzureMachineLearning'), "
    "azure_owned_by('192.0.2.1', 'AzureMachineLearning')"
).fetchall()[0]
assert row == (True, "eastus2", True, False), row
region = con.sql("SELECT paired FROM azure_region('East US 2')").fetchall()
assert region == [("centralus",)], region
print(f"duckdb {duckdb.__version__} ({platform}): loads and answers")
package_takes("extension")
