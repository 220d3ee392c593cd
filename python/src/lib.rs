//! `azure_service_tags._native`: the Python bindings of the `azure-service-tags` crate.
//!
//! A thin shell: every answer comes from the crate. `held.rs` holds a snapshot and its
//! prepared matchers, `columns.rs` the vectorized functions over Arrow arrays, and
//! `handles.rs` the Python classes (`Snapshot`, `Tag`, `Region`, `Match`). The Python
//! package (`azure_service_tags/`) re-exports them and adds the Spark, Polars and
//! DuckDB glue.

// No function over 80 lines (clippy.toml) outside tests.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]

use pyo3::prelude::*;

mod columns;
mod errors;
mod handles;
mod held;

/// The native module, re-exported by the ``azure_service_tags`` package.
#[pymodule]
mod _native {
    #[pymodule_export]
    use super::errors::{NotFoundError, RouteError, SnapshotError};
    #[pymodule_export]
    use super::handles::{china, government, public, Match, Region, Snapshot, Tag};

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("TAG_PROPERTIES", super::handles::tag_properties())?;
        m.add("ROW_FUNCTIONS", super::handles::row_functions())
    }
}
