//! Which snapshot a function answers from: the compiled-in Public one by default, or the
//! one a call names, as the crate reads a name (`Snapshot::named`: a cloud in any
//! spelling, or the path of an official JSON file or a `data/<cloud>/` directory,
//! loaded once per process and shared by every database and thread).

use std::error::Error;

use azure_service_tags::{Cloud, Snapshot, SnapshotRef};

/// The snapshot `spec` names, or the Public one for `None`.
pub(crate) fn named(spec: Option<&str>) -> Result<SnapshotRef, Box<dyn Error>> {
    match spec {
        None => SnapshotRef::cloud(Cloud::Public)
            .ok_or_else(|| "the Public snapshot is not compiled into this extension".into()),
        Some(spec) => Ok(Snapshot::named(spec)?),
    }
}
