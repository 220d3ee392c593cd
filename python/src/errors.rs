//! The exceptions of the package, and the one place the crate's errors become them.

use azure_service_tags as crate_;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

pyo3::create_exception!(
    azure_service_tags,
    NotFoundError,
    pyo3::exceptions::PyLookupError,
    "A tag, region or service name that the snapshot does not have. Its ``kind``\n\
     (``\"tag\"``, ``\"region\"`` or ``\"service\"``), ``name`` and ``closest`` (up to\n\
     three known names) say what was asked and what is near."
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

/// A name the snapshot does not know, with what is closest to it.
pub(crate) fn not_found(e: crate_::NotFound) -> PyErr {
    Python::attach(|py| {
        let err = NotFoundError::new_err(e.to_string());
        let value = err.value(py);
        // Setting attributes on a fresh exception object cannot fail.
        let _ = value.setattr("kind", e.kind.to_string());
        let _ = value.setattr("name", e.name);
        let _ = value.setattr("closest", e.closest);
        err
    })
}

/// A snapshot that cannot be loaded or is not compiled in.
pub(crate) fn snapshot_error(e: impl std::fmt::Display) -> PyErr {
    SnapshotError::new_err(e.to_string())
}

/// A route plan that cannot be made; unknown names are `NotFoundError`s.
pub(crate) fn route_error(e: crate_::route::RouteError) -> PyErr {
    match e {
        crate_::route::RouteError::NotFound(e) => not_found(e),
        e => RouteError::new_err(e.to_string()),
    }
}

/// An argument that is not a valid value.
pub(crate) fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}
