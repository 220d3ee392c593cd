//! `azure_service_tags._native`: the Python bindings of the `azure-service-tags` crate.
//!
//! A thin shell: every answer comes from the crate. `held.rs` holds a snapshot and its
//! prepared matchers, `columns.rs` the vectorized functions over Arrow arrays, and
//! `handles.rs` the Python classes (`Snapshot`, `Tag`, `Region`, `Match`). The Python
//! package (`azure_service_tags/`) re-exports them and adds the Spark, Polars and
//! DuckDB glue.

use pyo3::prelude::*;

mod columns;
mod handles;
mod held;

pyo3::create_exception!(
    azure_service_tags,
    NotFoundError,
    pyo3::exceptions::PyLookupError,
    "A tag, region or service name that the snapshot does not have."
);

pyo3::create_exception!(
    azure_service_tags,
    SnapshotError,
    pyo3::exceptions::PyValueError,
    "A snapshot file that cannot be read or is not a valid official file."
);

pyo3::create_exception!(
    azure_service_tags,
    RouteError,
    pyo3::exceptions::PyValueError,
    "A route plan that cannot be made (limit exceeded, no such tag in the region, ...)."
);

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<handles::Snapshot>()?;
    m.add_class::<handles::Tag>()?;
    m.add_class::<handles::Region>()?;
    m.add_class::<handles::Match>()?;
    m.add("NotFoundError", py.get_type::<NotFoundError>())?;
    m.add("SnapshotError", py.get_type::<SnapshotError>())?;
    m.add("RouteError", py.get_type::<RouteError>())?;
    m.add_function(wrap_pyfunction!(handles::public, m)?)?;
    m.add_function(wrap_pyfunction!(handles::government, m)?)?;
    m.add_function(wrap_pyfunction!(handles::china, m)?)?;
    Ok(())
}
