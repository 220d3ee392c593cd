//! The extension's settings, one set per database that loads it, shared by all its
//! functions: what a value that is not an address gives (an error naming it, or null),
//! and the snapshot a call that names none answers from. DuckDB's stable C API before
//! 1.4 has no extension settings, so `CALL azure_settings(errors := 'null', snapshot :=
//! 'government')` sets them and answers with the settings now in force.

use std::error::Error;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use azure_service_tags::row_functions::OnBadValue;
use duckdb::core::{DataChunkHandle, Inserter, LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use duckdb::Connection;

use crate::snapshots;

type Failure = Box<dyn Error>;

/// One database's settings.
#[derive(Default)]
pub(crate) struct Settings {
    /// Whether a value that is not an address gives null (`errors = 'null'`) rather than
    /// failing the query (`'error'`, the default).
    null_on_error: AtomicBool,
    /// The snapshot a call that names none answers from (`None`: the Public one).
    snapshot: RwLock<Option<String>>,
}

/// The settings every function of one database holds.
pub(crate) type Shared = Arc<Settings>;

impl Settings {
    /// Whether a value that is not an address gives null.
    pub(crate) fn null_on_error(&self) -> bool {
        self.null_on_error.load(Ordering::Relaxed)
    }

    /// The snapshot `spec` names, or the default one for `None`.
    pub(crate) fn snapshot_for(&self, spec: Option<&str>) -> Option<String> {
        match spec {
            Some(s) => Some(s.to_string()),
            None => self.snapshot.read().ok().and_then(|s| s.clone()),
        }
    }

    /// Applies `errors` (`'error'` or `'null'`) and `snapshot` (checked by loading it).
    fn set(&self, errors: Option<&str>, snapshot: Option<&str>) -> Result<(), Failure> {
        let null = match errors {
            None => None,
            Some(e) => Some(e.parse::<OnBadValue>()? == OnBadValue::Null),
        };
        if let Some(spec) = snapshot {
            snapshots::named(Some(spec))?;
            if let Ok(mut s) = self.snapshot.write() {
                *s = Some(spec.to_string());
            }
        }
        if let Some(null) = null {
            self.null_on_error.store(null, Ordering::Relaxed);
        }
        Ok(())
    }

    /// The settings now in force, as (name, value) rows.
    fn rows(&self) -> [(&'static str, String); 2] {
        let errors = if self.null_on_error() {
            OnBadValue::Null
        } else {
            OnBadValue::Error
        };
        let snapshot = self
            .snapshot_for(None)
            .unwrap_or_else(|| "public".to_string());
        [
            ("errors", errors.name().to_string()),
            ("snapshot", snapshot),
        ]
    }
}

/// Registers `azure_settings` on `con`, holding `settings`.
pub(crate) fn register(con: &Connection, settings: &Shared) -> Result<(), Failure> {
    con.register_table_function_with_extra_info::<SettingsTable, Shared>(
        "azure_settings",
        settings,
    )?;
    Ok(())
}

/// The settings of the database a function runs in, which it holds as its extra info.
///
/// # Safety
///
/// `extra` is the pointer DuckDB hands back for a function registered with a [`Shared`].
pub(crate) unsafe fn held<'a>(extra: *const Shared) -> Result<&'a Settings, Failure> {
    // SAFETY: the caller's contract; DuckDB keeps the extra info while the function lives.
    unsafe { extra.as_ref() }
        .map(|s| &**s)
        .ok_or_else(|| "the extension's settings are missing".into())
}

/// `azure_settings([errors := ...,] [snapshot := ...])`: sets what is given, then
/// answers `name`, `value` for each setting.
struct SettingsTable;

/// The rows `azure_settings` answers.
struct Answer {
    rows: [(&'static str, String); 2],
}

impl VTab for SettingsTable {
    type InitData = AtomicBool;
    type BindData = Answer;

    fn bind(bind: &BindInfo) -> Result<Answer, Failure> {
        // SAFETY: registered with a `Shared` as its extra info.
        let settings = unsafe { held(bind.get_extra_info::<Shared>()) }?;
        let text = |name: &str| bind.get_named_parameter(name).map(|v| v.to_string());
        settings.set(text("errors").as_deref(), text("snapshot").as_deref())?;
        for name in ["name", "value"] {
            bind.add_result_column(name, LogicalTypeId::Varchar.into());
        }
        Ok(Answer {
            rows: settings.rows(),
        })
    }

    fn init(_: &InitInfo) -> Result<AtomicBool, Failure> {
        Ok(AtomicBool::new(false))
    }

    fn func(func: &TableFunctionInfo<Self>, output: &mut DataChunkHandle) -> Result<(), Failure> {
        if func.get_init_data().swap(true, Ordering::Relaxed) {
            output.set_len(0);
            return Ok(());
        }
        let rows = &func.get_bind_data().rows;
        let (names, values) = (output.flat_vector(0), output.flat_vector(1));
        for (i, (name, value)) in rows.iter().enumerate() {
            names.insert(i, *name);
            values.insert(i, value.as_str());
        }
        output.set_len(rows.len());
        Ok(())
    }

    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        let varchar = || LogicalTypeHandle::from(LogicalTypeId::Varchar);
        Some(vec![
            ("errors".to_string(), varchar()),
            ("snapshot".to_string(), varchar()),
        ])
    }
}
