//! Which snapshot a function answers from: the compiled-in Public one by default, or the
//! one a call names: a cloud (`'public'`, `'government'`, `'china'`, in any spelling
//! `Cloud` parses) or the path of an official JSON file or a `data/<cloud>/` directory,
//! loaded once per process and shared by every database and thread.

use std::collections::HashMap;
use std::error::Error;
use std::ops::Deref;
use std::sync::{Arc, LazyLock, RwLock};

use azure_service_tags::{public, snapshot_of, Cloud, Snapshot};

/// A snapshot a function holds while it answers.
#[derive(Clone)]
pub(crate) enum Held {
    /// Compiled in.
    Embedded(&'static Snapshot),
    /// Loaded from a file.
    Loaded(Arc<Snapshot>),
}

impl Deref for Held {
    type Target = Snapshot;
    fn deref(&self) -> &Snapshot {
        match self {
            Held::Embedded(s) => s,
            Held::Loaded(s) => s,
        }
    }
}

/// The snapshots loaded so far, by the text that named them.
static LOADED: LazyLock<RwLock<HashMap<String, Arc<Snapshot>>>> = LazyLock::new(Default::default);

/// The snapshot `spec` names, or the Public one for `None`.
pub(crate) fn named(spec: Option<&str>) -> Result<Held, Box<dyn Error>> {
    let Some(spec) = spec else {
        return Ok(Held::Embedded(public()));
    };
    if let Ok(cloud) = spec.parse::<Cloud>() {
        return snapshot_of(cloud).map(Held::Embedded).ok_or_else(|| {
            format!("the {cloud} snapshot is not compiled into this extension").into()
        });
    }
    if let Some(s) = LOADED.read().ok().and_then(|m| m.get(spec).cloned()) {
        return Ok(Held::Loaded(s));
    }
    let loaded = Arc::new(Snapshot::open(spec).map_err(|e| format!("snapshot {spec:?}: {e}"))?);
    if let Ok(mut cache) = LOADED.write() {
        cache.insert(spec.to_string(), Arc::clone(&loaded));
    }
    Ok(Held::Loaded(loaded))
}
