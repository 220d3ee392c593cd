//! A snapshot as the bindings hold it: compiled in or loaded, with the matchers
//! prepared for it, shared by every handle and column function made from it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use azure_service_tags as crate_;
use azure_service_tags::TagMatcher;
use pyo3::PyResult;

use crate::errors::not_found;

/// A snapshot, as the handles hold it.
pub(crate) struct Held {
    snap: Source,
    /// Prepared matchers by service name, made on first use and kept for the life of
    /// the snapshot (in Spark: of the executor process).
    matchers: Mutex<HashMap<String, Arc<TagMatcher>>>,
}

pub(crate) enum Source {
    /// One of the compiled-in snapshots.
    Embedded(&'static crate_::Snapshot),
    /// Loaded at run time from `path` (absolute), which names it when it is pickled.
    Loaded {
        snap: Box<crate_::Snapshot>,
        path: PathBuf,
    },
}

impl Held {
    pub(crate) fn new(snap: Source) -> Held {
        Held {
            snap,
            matchers: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn get(&self) -> &crate_::Snapshot {
        match &self.snap {
            Source::Embedded(s) => s,
            Source::Loaded { snap, .. } => snap,
        }
    }

    /// The file or directory a loaded snapshot came from; `None` for compiled-in ones.
    pub(crate) fn path(&self) -> Option<&Path> {
        match &self.snap {
            Source::Embedded(_) => None,
            Source::Loaded { path, .. } => Some(path),
        }
    }

    /// The service's canonical name and its prepared matcher.
    pub(crate) fn service_matcher(&self, service: &str) -> PyResult<(String, Arc<TagMatcher>)> {
        let snap = self.get();
        let name = snap.find_service(service).map_err(not_found)?;
        let mut cache = self.matchers.lock().unwrap_or_else(PoisonError::into_inner);
        let matcher = cache
            .entry(name.to_string())
            .or_insert_with(|| Arc::new(TagMatcher::for_service(snap, name)))
            .clone();
        Ok((name.to_string(), matcher))
    }
}
