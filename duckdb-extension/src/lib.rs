//! `azure_service_tags.duckdb_extension`: the crate's lookups as DuckDB functions,
//! loaded into DuckDB through its stable C API and run on every DuckDB thread (a Python
//! UDF runs on one). `addresses.rs` reads a column of addresses of each accepted type,
//! `snapshots.rs` finds the snapshot a call names, `settings.rs` holds one database's
//! settings (and `azure_settings`, which sets them), `functions.rs` the scalar functions
//! and `tables.rs` the table functions, all answered by the crate.
//! `scripts/build-duckdb-extension.sh` builds the library and appends the metadata
//! footer DuckDB checks.

// No function over 80 lines (clippy.toml) outside tests.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]

use std::error::Error;

use duckdb::{duckdb_entrypoint_c_api, Connection};

mod addresses;
mod functions;
mod settings;
mod snapshots;
mod tables;

/// Called by DuckDB on `LOAD` into a database: registers the scalar and the table
/// functions, which share that database's settings.
#[duckdb_entrypoint_c_api(ext_name = "azure_service_tags", min_duckdb_version = "v1.2.0")]
pub fn extension_entrypoint(con: Connection) -> Result<(), Box<dyn Error>> {
    let settings = settings::Shared::default();
    settings::register(&con, &settings)?;
    functions::register(&con, &settings)?;
    tables::register(&con, &settings)
}
