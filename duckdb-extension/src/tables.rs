//! The table functions, for joins and exploration, each with an optional named
//! parameter `snapshot` (as the scalar functions' last argument; without it, the
//! database's default):
//! - `azure_tag_prefixes(tag)`: the tag's prefixes, with their family and first and last
//!   addresses;
//! - `azure_service_tags()`: every tag, with its service, region and prefix counts;
//! - `azure_region(name)`: a region in any spelling, with its pair.
//!
//! Each table is made whole at bind time (the largest, all the Public tags, is a few
//! thousand rows) and handed out a vector at a time.

use std::error::Error;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

use azure_service_tags::Snapshot;
use duckdb::core::LogicalTypeId::{Bigint, Boolean, Varchar};
use duckdb::core::{DataChunkHandle, Inserter, LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use duckdb::Connection;
use ipnet::IpNet;

use crate::settings::{self, Shared};
use crate::snapshots;

type Failure = Box<dyn Error>;

/// Registers every table function on `con`, each holding the database's `settings`.
pub(crate) fn register(con: &Connection, settings: &Shared) -> Result<(), Failure> {
    con.register_table_function_with_extra_info::<Tab<TagPrefixes>, _>(
        "azure_tag_prefixes",
        settings,
    )?;
    con.register_table_function_with_extra_info::<Tab<ServiceTags>, _>(
        "azure_service_tags",
        settings,
    )?;
    con.register_table_function_with_extra_info::<Tab<RegionTable>, _>("azure_region", settings)?;
    Ok(())
}

/// A value of a table: text, a count, a flag or null.
enum Cell {
    Text(String),
    Count(i64),
    Flag(bool),
    Null,
}

impl From<bool> for Cell {
    fn from(b: bool) -> Cell {
        Cell::Flag(b)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<Option<&str>> for Cell {
    fn from(s: Option<&str>) -> Cell {
        s.map_or(Cell::Null, Cell::from)
    }
}

/// A table made at bind time: its rows.
struct Table {
    rows: Vec<Vec<Cell>>,
}

/// Where the next vector of rows starts.
#[derive(Default)]
struct Cursor(AtomicUsize);

/// Declares the columns of a table on `bind`.
fn columns(bind: &BindInfo, columns: &[(&'static str, LogicalTypeId)]) {
    for &(name, ty) in columns {
        bind.add_result_column(name, LogicalTypeHandle::from(ty));
    }
}

/// The named parameter every table function takes: the snapshot's name.
fn snapshot_parameter() -> Option<Vec<(String, LogicalTypeHandle)>> {
    Some(vec![(
        "snapshot".to_string(),
        LogicalTypeId::Varchar.into(),
    )])
}

/// The snapshot the named parameter `snapshot` names, or the database's default one.
fn snapshot(bind: &BindInfo) -> Result<azure_service_tags::SnapshotRef, Failure> {
    // SAFETY: every table function here is registered with a `Shared` as its extra info.
    let settings = unsafe { settings::held(bind.get_extra_info::<Shared>()) }?;
    let spec = bind.get_named_parameter("snapshot").map(|v| v.to_string());
    snapshots::named(settings.snapshot_for(spec.as_deref()).as_deref())
}

/// Writes the next vector of rows of `table` into `output`.
fn emit(table: &Table, cursor: &Cursor, output: &mut DataChunkHandle) {
    const VECTOR: usize = 2048;
    let start = cursor
        .0
        .fetch_add(VECTOR, Ordering::Relaxed)
        .min(table.rows.len());
    let rows = &table.rows[start..(start + VECTOR).min(table.rows.len())];
    for column in 0..output.num_columns() {
        let mut vector = output.flat_vector(column);
        for (i, row) in rows.iter().enumerate() {
            match &row[column] {
                Cell::Text(s) => vector.insert(i, s.as_str()),
                // SAFETY: a count column is a BIGINT vector of at least VECTOR rows.
                Cell::Count(n) => unsafe { vector.as_mut_slice_with_len::<i64>(VECTOR)[i] = *n },
                // SAFETY: a flag column is a BOOLEAN vector of at least VECTOR rows.
                Cell::Flag(b) => unsafe { vector.as_mut_slice_with_len::<bool>(VECTOR)[i] = *b },
                Cell::Null => vector.set_null(i),
            }
        }
    }
    output.set_len(rows.len());
}

/// What a table function answers: its columns, and its rows for the snapshot and the
/// positional argument (if it takes one) of a call.
trait Source {
    /// The columns, named and typed.
    const COLUMNS: &'static [(&'static str, LogicalTypeId)];
    /// Whether the function takes a positional `VARCHAR` argument.
    const TAKES_NAME: bool;
    /// The rows.
    fn rows(snap: &Snapshot, name: Option<&str>) -> Result<Vec<Vec<Cell>>, Failure>;
}

/// A table function over a [`Source`]: every source binds, starts and hands out its rows
/// the same way.
struct Tab<S>(PhantomData<S>);

impl<S: Source> VTab for Tab<S> {
    type InitData = Cursor;
    type BindData = Table;

    fn bind(bind: &BindInfo) -> Result<Table, Failure> {
        let snap = snapshot(bind)?;
        let name = S::TAKES_NAME.then(|| bind.get_parameter(0).to_string());
        let rows = S::rows(&snap, name.as_deref())?;
        columns(bind, S::COLUMNS);
        Ok(Table { rows })
    }

    fn init(_: &InitInfo) -> Result<Cursor, Failure> {
        Ok(Cursor::default())
    }

    fn func(func: &TableFunctionInfo<Self>, output: &mut DataChunkHandle) -> Result<(), Failure> {
        emit(func.get_bind_data(), func.get_init_data(), output);
        Ok(())
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        S::TAKES_NAME.then(|| vec![LogicalTypeId::Varchar.into()])
    }

    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        snapshot_parameter()
    }
}

/// `azure_tag_prefixes(tag)`: `tag`, `prefix`, `family` (`ipv4` or `ipv6`), `first` and
/// `last` address, in published order.
struct TagPrefixes;

impl Source for TagPrefixes {
    const COLUMNS: &'static [(&'static str, LogicalTypeId)] = &[
        ("tag", Varchar),
        ("prefix", Varchar),
        ("family", Varchar),
        ("first", Varchar),
        ("last", Varchar),
    ];
    const TAKES_NAME: bool = true;

    fn rows(snap: &Snapshot, name: Option<&str>) -> Result<Vec<Vec<Cell>>, Failure> {
        let tag = snap.find_tag(name.unwrap_or_default())?;
        let row = |p: IpNet| {
            let family = if matches!(p, IpNet::V4(_)) {
                "ipv4"
            } else {
                "ipv6"
            };
            vec![
                Cell::from(tag.name()),
                Cell::Text(p.to_string()),
                Cell::from(family),
                Cell::Text(p.network().to_string()),
                Cell::Text(p.broadcast().to_string()),
            ]
        };
        Ok(tag.prefixes().map(row).collect())
    }
}

/// `azure_service_tags()`: `name`, `service`, `region` (ARM name, or null for a global
/// tag), `ipv4_prefixes` and `ipv6_prefixes`, in published order.
struct ServiceTags;

impl Source for ServiceTags {
    const COLUMNS: &'static [(&'static str, LogicalTypeId)] = &[
        ("name", Varchar),
        ("service", Varchar),
        ("region", Varchar),
        ("ipv4_prefixes", Bigint),
        ("ipv6_prefixes", Bigint),
    ];
    const TAKES_NAME: bool = false;

    fn rows(snap: &Snapshot, _: Option<&str>) -> Result<Vec<Vec<Cell>>, Failure> {
        let row = |t: azure_service_tags::Tag<'_>| {
            vec![
                Cell::from(t.name()),
                Cell::from(t.service()),
                Cell::from(t.region().map(|r| r.name())),
                Cell::Count(t.ipv4().len() as i64),
                Cell::Count(t.ipv6().len() as i64),
            ]
        };
        Ok(snap.tags().map(row).collect())
    }
}

/// `azure_region(name)`: one row: `name` (ARM), `display_name`, `code` (in the service
/// tags), `geography` and `paired` (the pair's ARM name, or null).
struct RegionTable;

impl Source for RegionTable {
    const COLUMNS: &'static [(&'static str, LogicalTypeId)] = &[
        ("name", Varchar),
        ("display_name", Varchar),
        ("code", Varchar),
        ("geography", Varchar),
        ("paired", Varchar),
        ("pair_known", Boolean),
    ];
    const TAKES_NAME: bool = true;

    fn rows(snap: &Snapshot, name: Option<&str>) -> Result<Vec<Vec<Cell>>, Failure> {
        let r = snap.find_region(name.unwrap_or_default())?;
        Ok(vec![vec![
            Cell::from(r.name()),
            Cell::from(r.display_name()),
            Cell::from(r.code()),
            Cell::from(r.geography()),
            Cell::from(r.paired().map(|p| p.name())),
            Cell::from(r.pair_known()),
        ]])
    }
}
