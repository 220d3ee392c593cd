//! A snapshot as the bindings hold it: the crate's `SnapshotRef` (compiled in, or
//! loaded once per process; with its matchers), with Python's errors.

use std::path::Path;
use std::sync::Arc;

use azure_service_tags as crate_;
use azure_service_tags::{SnapshotRef, TagMatcher};
use pyo3::PyResult;

use crate::errors::not_found;

/// A snapshot, as the handles hold it.
pub(crate) struct Held(SnapshotRef);

impl Held {
    pub(crate) fn new(snap: SnapshotRef) -> Held {
        Held(snap)
    }

    pub(crate) fn get(&self) -> &crate_::Snapshot {
        &self.0
    }

    /// Whether both hold the same snapshot object.
    pub(crate) fn same(&self, other: &SnapshotRef) -> bool {
        self.0.same(other)
    }

    /// The file or directory a loaded snapshot came from; `None` for compiled-in ones.
    pub(crate) fn path(&self) -> Option<&Path> {
        self.0.path()
    }

    /// The service's canonical name and its prepared matcher, kept with the snapshot.
    pub(crate) fn service_matcher(&self, service: &str) -> PyResult<(String, Arc<TagMatcher>)> {
        let (name, matcher) = self.0.service_matcher(service).map_err(not_found)?;
        Ok((name.to_string(), matcher))
    }
}
