//! The table functions, for joins and exploration, each with an optional named
//! parameter `snapshot` (as the scalar functions' last argument):
//! - `azure_tag_prefixes(tag)`: the tag's prefixes, with their family and first and last
//!   addresses;
//! - `azure_service_tags()`: every tag, with its service, region and prefix counts;
//! - `azure_region(name)`: a region in any spelling, with its pair.
//!
//! Each table is made whole at bind time (the largest, all the Public tags, is a few
//! thousand rows) and handed out a vector at a time.

use std::error::Error;
use std::sync::atomic::{AtomicUsize, Ordering};

use azure_service_tags::Snapshot;
use duckdb::core::{DataChunkHandle, Inserter, LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use duckdb::Connection;
use ipnet::IpNet;

use crate::snapshots;

type Failure = Box<dyn Error>;

/// Registers every table function on `con`.
pub(crate) fn register(con: &Connection) -> Result<(), Failure> {
    con.register_table_function::<TagPrefixes>("azure_tag_prefixes")?;
    con.register_table_function::<ServiceTags>("azure_service_tags")?;
    con.register_table_function::<RegionTable>("azure_region")?;
    Ok(())
}

/// A value of a table: text, a count or null.
enum Cell {
    Text(String),
    Count(i64),
    Null,
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
fn columns(bind: &BindInfo, columns: &[(&str, LogicalTypeId)]) {
    for &(name, ty) in columns {
        bind.add_result_column(name, LogicalTypeHandle::from(ty));
    }
}

/// The snapshot the named parameter `snapshot` names, or the Public one.
fn snapshot(bind: &BindInfo) -> Result<snapshots::Held, Failure> {
    let spec = bind.get_named_parameter("snapshot").map(|v| v.to_string());
    snapshots::named(spec.as_deref())
}

fn snapshot_parameter() -> Option<Vec<(String, LogicalTypeHandle)>> {
    Some(vec![(
        "snapshot".to_string(),
        LogicalTypeId::Varchar.into(),
    )])
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
                Cell::Null => vector.set_null(i),
            }
        }
    }
    output.set_len(rows.len());
}

/// `azure_tag_prefixes(tag)`: `tag`, `prefix`, `family` (`ipv4` or `ipv6`), `first` and
/// `last` address, in published order.
struct TagPrefixes;

impl VTab for TagPrefixes {
    type InitData = Cursor;
    type BindData = Table;

    fn bind(bind: &BindInfo) -> Result<Table, Failure> {
        use LogicalTypeId::Varchar;
        let snap = snapshot(bind)?;
        let tag = snap.find_tag(&bind.get_parameter(0).to_string())?;
        columns(
            bind,
            &[
                ("tag", Varchar),
                ("prefix", Varchar),
                ("family", Varchar),
                ("first", Varchar),
                ("last", Varchar),
            ],
        );
        let rows = tag
            .prefixes()
            .map(|p| {
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
            })
            .collect();
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
        Some(vec![LogicalTypeId::Varchar.into()])
    }

    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        snapshot_parameter()
    }
}

/// `azure_service_tags()`: `name`, `service`, `region` (ARM name, or null for a global
/// tag), `ipv4_prefixes` and `ipv6_prefixes`, in published order.
struct ServiceTags;

fn tag_rows(snap: &Snapshot) -> Vec<Vec<Cell>> {
    snap.tags()
        .map(|t| {
            vec![
                Cell::from(t.name()),
                Cell::from(t.service()),
                Cell::from(t.region().map(|r| r.name())),
                Cell::Count(t.ipv4().len() as i64),
                Cell::Count(t.ipv6().len() as i64),
            ]
        })
        .collect()
}

impl VTab for ServiceTags {
    type InitData = Cursor;
    type BindData = Table;

    fn bind(bind: &BindInfo) -> Result<Table, Failure> {
        use LogicalTypeId::{Bigint, Varchar};
        let snap = snapshot(bind)?;
        columns(
            bind,
            &[
                ("name", Varchar),
                ("service", Varchar),
                ("region", Varchar),
                ("ipv4_prefixes", Bigint),
                ("ipv6_prefixes", Bigint),
            ],
        );
        Ok(Table {
            rows: tag_rows(&snap),
        })
    }

    fn init(_: &InitInfo) -> Result<Cursor, Failure> {
        Ok(Cursor::default())
    }

    fn func(func: &TableFunctionInfo<Self>, output: &mut DataChunkHandle) -> Result<(), Failure> {
        emit(func.get_bind_data(), func.get_init_data(), output);
        Ok(())
    }

    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        snapshot_parameter()
    }
}

/// `azure_region(name)`: one row: `name` (ARM), `display_name`, `code` (in the service
/// tags), `geography` and `paired` (the pair's ARM name, or null).
struct RegionTable;

impl VTab for RegionTable {
    type InitData = Cursor;
    type BindData = Table;

    fn bind(bind: &BindInfo) -> Result<Table, Failure> {
        use LogicalTypeId::Varchar;
        let snap = snapshot(bind)?;
        let r = snap.find_region(&bind.get_parameter(0).to_string())?;
        columns(
            bind,
            &[
                ("name", Varchar),
                ("display_name", Varchar),
                ("code", Varchar),
                ("geography", Varchar),
                ("paired", Varchar),
            ],
        );
        let row = vec![
            Cell::from(r.name()),
            Cell::from(r.display_name()),
            Cell::from(r.code()),
            Cell::from(r.geography()),
            Cell::from(r.paired().map(|p| p.name())),
        ];
        Ok(Table { rows: vec![row] })
    }

    fn init(_: &InitInfo) -> Result<Cursor, Failure> {
        Ok(Cursor::default())
    }

    fn func(func: &TableFunctionInfo<Self>, output: &mut DataChunkHandle) -> Result<(), Failure> {
        emit(func.get_bind_data(), func.get_init_data(), output);
        Ok(())
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        Some(vec![LogicalTypeId::Varchar.into()])
    }

    fn named_parameters() -> Option<Vec<(String, LogicalTypeHandle)>> {
        snapshot_parameter()
    }
}
