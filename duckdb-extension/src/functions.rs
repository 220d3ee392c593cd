//! The scalar functions: `azure_tags_containing(ip)` (also registered as `azure_tags`),
//! `azure_owned_by(ip, service)` and `azure_service_match(ip, service)`, each for every
//! address type, and each with an optional last argument naming the snapshot (see
//! `snapshots.rs`; without it, the database's default, see `settings.rs`). A null
//! argument gives null; a value that is not an address fails the query with an error
//! naming it, or gives null under `azure_settings(errors := 'null')`; an unknown service
//! or snapshot fails the query with an error naming it.

use std::borrow::Cow;
use std::error::Error;
use std::net::IpAddr;
use std::sync::Arc;

use azure_service_tags::row_functions::ROW_FUNCTIONS;
use azure_service_tags::SnapshotRef;
use duckdb::core::{DataChunkHandle, FlatVector, Inserter, LogicalTypeHandle, LogicalTypeId};
use duckdb::ffi::duckdb_string_t;
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use duckdb::Connection;

use crate::addresses::{string_bytes, Addresses, Validity, ADDRESS_TYPES};
use crate::settings::{Settings, Shared};
use crate::snapshots;

type Failure = Box<dyn Error>;

/// Registers every per-row function of the crate's table on `con` as `azure_<name>`
/// (and its deprecated names), each holding the database's `settings`.
pub(crate) fn register(con: &Connection, settings: &Shared) -> Result<(), Failure> {
    for f in ROW_FUNCTIONS {
        for name in std::iter::once(f.name).chain(f.deprecated_names.iter().copied()) {
            let sql = format!("azure_{name}");
            match f.name {
                "tags_containing" => {
                    con.register_scalar_function_with_state::<TagsContaining>(&sql, settings)?
                }
                "owned_by" => con.register_scalar_function_with_state::<OwnedBy>(&sql, settings)?,
                "service_match" => {
                    con.register_scalar_function_with_state::<ServiceMatch>(&sql, settings)?
                }
                other => return Err(format!("the extension has no body for {other}").into()),
            }
        }
    }
    Ok(())
}

fn varchar() -> LogicalTypeHandle {
    LogicalTypeId::Varchar.into()
}

/// For each address type, the signature with the `rest` of the parameters after the
/// address, and the same with the snapshot's name last.
fn signatures(
    rest: &[LogicalTypeId],
    returns: impl Fn() -> LogicalTypeHandle,
) -> Vec<ScalarFunctionSignature> {
    let mut out = Vec::new();
    for ip in ADDRESS_TYPES {
        for with_snapshot in [false, true] {
            let mut params: Vec<LogicalTypeHandle> = vec![ip.into()];
            params.extend(rest.iter().map(|&t| LogicalTypeHandle::from(t)));
            if with_snapshot {
                params.push(varchar());
            }
            out.push(ScalarFunctionSignature::exact(params, returns()));
        }
    }
    out
}

/// A `VARCHAR` argument column of a chunk, read in place.
struct Texts<'a> {
    values: &'a [duckdb_string_t],
    nulls: Validity<'a>,
}

impl<'a> Texts<'a> {
    fn of(vector: &'a FlatVector<'a>, chunk: &'a DataChunkHandle, column: usize) -> Self {
        let len = chunk.len();
        // SAFETY: the parameter at `column` is a VARCHAR of `len` rows.
        let values = unsafe { vector.as_slice_with_len(len) };
        Texts {
            values,
            nulls: Validity::of(chunk, column, len),
        }
    }

    /// Row `row`'s text (lossy for bytes that are not UTF-8), `None` for null.
    fn get(&self, row: usize) -> Option<Cow<'a, str>> {
        (!self.nulls.is_null(row)).then(|| String::from_utf8_lossy(string_bytes(&self.values[row])))
    }
}

/// The snapshots a chunk's rows name, each fetched once per chunk.
struct Picker {
    /// The database's default snapshot, as the chunk started.
    default: Option<String>,
    held: Vec<(Option<String>, SnapshotRef)>,
}

impl Picker {
    fn new(settings: &Settings) -> Self {
        Picker {
            default: settings.snapshot_for(None),
            held: Vec::new(),
        }
    }

    /// The number of the snapshot `spec` names (`None`: the default one).
    fn pick(&mut self, spec: Option<&str>) -> Result<usize, Failure> {
        let spec = spec.or(self.default.as_deref());
        if let Some(i) = self.held.iter().position(|(k, _)| k.as_deref() == spec) {
            return Ok(i);
        }
        let held = snapshots::named(spec)?;
        self.held.push((spec.map(str::to_string), held));
        Ok(self.held.len() - 1)
    }

    fn snapshot(&self, i: usize) -> &SnapshotRef {
        &self.held[i].1
    }

    /// How many snapshots the chunk has named so far.
    fn count(&self) -> usize {
        self.held.len()
    }
}

/// What a chunk's service, in one snapshot, resolves to (its matcher, its name as
/// published), worked out once for a run of rows that ask the same: finding a service
/// that has only regional tags scans the tags. Lent, not cloned: a reference count
/// changed on every row is a cache line that DuckDB's threads fight over.
struct Resolved<T> {
    last: Option<(usize, String, T)>,
}

impl<T> Resolved<T> {
    fn new() -> Self {
        Resolved { last: None }
    }

    /// What `service` in snapshot number `snapshot` resolves to, by `resolve` when it
    /// differs from the row before.
    fn get(
        &mut self,
        snapshot: usize,
        service: &str,
        resolve: impl FnOnce() -> Result<T, Failure>,
    ) -> Result<&T, Failure> {
        let same = matches!(&self.last, Some((s, name, _)) if *s == snapshot && name == service);
        if !same {
            self.last = Some((snapshot, service.to_string(), resolve()?));
        }
        match &self.last {
            Some((_, _, value)) => Ok(value),
            None => Err("a resolved service went missing".into()),
        }
    }
}

/// One chunk's arguments: the addresses, the service (for the functions that take one)
/// and the snapshot's name (when given, always last).
struct Rows<'a> {
    len: usize,
    /// Whether a value that is not an address reads as null.
    null_on_error: bool,
    ips: Addresses<'a>,
    ip_nulls: Validity<'a>,
    services: Option<Texts<'a>>,
    specs: Option<Texts<'a>>,
}

/// A row's arguments: its address, its service and its snapshot's name.
type Row<'a> = (IpAddr, Option<Cow<'a, str>>, Option<Cow<'a, str>>);

impl<'a> Rows<'a> {
    /// Row `row`'s arguments, `None` when one is null.
    fn get(&self, row: usize) -> Result<Option<Row<'a>>, Failure> {
        if self.ip_nulls.is_null(row) {
            return Ok(None);
        }
        let service = match &self.services {
            None => None,
            Some(s) => match s.get(row) {
                None => return Ok(None),
                some => some,
            },
        };
        let spec = match &self.specs {
            None => None,
            Some(s) => match s.get(row) {
                None => return Ok(None),
                some => some,
            },
        };
        match self.ips.get(row) {
            Ok(ip) => Ok(Some((ip, service, spec))),
            Err(_) if self.null_on_error => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// Reads a chunk whose first column is the address and, when `with_service`, whose
/// second is the service; a column after those is the snapshot's name. The vectors are
/// in `vectors`, which the caller keeps alive.
fn rows<'a>(
    input: &'a DataChunkHandle,
    vectors: &'a [FlatVector<'a>],
    with_service: bool,
    settings: &Settings,
) -> Result<Rows<'a>, Failure> {
    let len = input.len();
    let spec_column = 1 + usize::from(with_service);
    Ok(Rows {
        len,
        null_on_error: settings.null_on_error(),
        ips: Addresses::of(&vectors[0], len)?,
        ip_nulls: Validity::of(input, 0, len),
        services: with_service.then(|| Texts::of(&vectors[1], input, 1)),
        specs: (vectors.len() > spec_column)
            .then(|| Texts::of(&vectors[spec_column], input, spec_column)),
    })
}

fn vectors(input: &DataChunkHandle) -> Vec<FlatVector<'_>> {
    (0..input.num_columns())
        .map(|i| input.flat_vector(i))
        .collect()
}

/// `azure_tags_containing(ip [, snapshot]) -> VARCHAR[]`: every tag containing the
/// address, in published order.
struct TagsContaining;

impl VScalar for TagsContaining {
    type State = Shared;

    fn invoke(
        settings: &Shared,
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Failure> {
        let columns = vectors(input);
        let rows = rows(input, &columns, false, settings)?;
        let mut picker = Picker::new(settings);
        // (row, snapshot, address) for every row that is not null.
        let mut asked: Vec<(usize, usize, IpAddr)> = Vec::with_capacity(rows.len);
        for row in 0..rows.len {
            if let Some((ip, _, spec)) = rows.get(row)? {
                asked.push((row, picker.pick(spec.as_deref())?, ip));
            }
        }
        // Each answer is a run of (snapshot, tag index) pairs, looked up in one batch
        // per snapshot.
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut entries: Vec<Option<(usize, usize)>> = vec![None; rows.len];
        for s in 0..picker.count() {
            let snap = picker.snapshot(s);
            let (rows_of, ips): (Vec<usize>, Vec<IpAddr>) = asked
                .iter()
                .filter(|&&(_, of, _)| of == s)
                .map(|&(row, _, ip)| (row, ip))
                .unzip();
            let mut answers = vec![snap.no_tags(); ips.len()];
            snap.tags_containing_each(&ips, &mut answers);
            for (row, answer) in rows_of.into_iter().zip(answers) {
                let start = found.len();
                found.extend(answer.map(|t| (s, t.index())));
                entries[row] = Some((start, found.len() - start));
            }
        }
        let mut list = output.list_vector();
        let child = list.child(found.len());
        for (i, &(s, tag)) in found.iter().enumerate() {
            let name = picker.snapshot(s).tags().nth(tag).map_or("", |t| t.name());
            child.insert(i, name);
        }
        list.set_len(found.len());
        for (row, entry) in entries.into_iter().enumerate() {
            // A null row gets an empty entry too: DuckDB may read it.
            let (offset, count) = entry.unwrap_or((0, 0));
            list.set_entry(row, offset, count);
            if entry.is_none() {
                list.set_null(row);
            }
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        signatures(&[], || LogicalTypeHandle::list(&varchar()))
    }
}

/// `azure_owned_by(ip, service [, snapshot]) -> BOOLEAN`: whether the address is the
/// service's (its global or a regional tag).
struct OwnedBy;

impl VScalar for OwnedBy {
    type State = Shared;

    fn invoke(
        settings: &Shared,
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Failure> {
        let columns = vectors(input);
        let rows = rows(input, &columns, true, settings)?;
        let mut picker = Picker::new(settings);
        let mut out = output.flat_vector();
        let mut answers = vec![false; rows.len];
        let mut resolved = Resolved::new();
        for (row, answer) in answers.iter_mut().enumerate() {
            let Some((ip, Some(service), spec)) = rows.get(row)? else {
                out.set_null(row);
                continue;
            };
            let s = picker.pick(spec.as_deref())?;
            let matcher = resolved.get(s, &service, || {
                Ok(picker.snapshot(s).service_matcher(&service)?.1)
            })?;
            *answer = matcher.contains(ip);
        }
        // SAFETY: the output is a BOOLEAN vector of at least `len` rows.
        unsafe { out.copy(&answers) };
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        signatures(&[LogicalTypeId::Varchar], || LogicalTypeId::Boolean.into())
    }
}

/// `azure_service_match(ip, service [, snapshot]) -> STRUCT(tag VARCHAR, region
/// VARCHAR)`: the service's most specific tag containing the address and its region;
/// null where none does.
struct ServiceMatch;

impl VScalar for ServiceMatch {
    type State = Shared;

    fn invoke(
        settings: &Shared,
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Failure> {
        let columns = vectors(input);
        let rows = rows(input, &columns, true, settings)?;
        let mut picker = Picker::new(settings);
        let mut out = output.struct_vector();
        let (mut tags, mut regions) = (out.child(0, rows.len), out.child(1, rows.len));
        let mut resolved: Resolved<Arc<str>> = Resolved::new();
        for row in 0..rows.len {
            let hit = match rows.get(row)? {
                Some((ip, Some(service), spec)) => {
                    let s = picker.pick(spec.as_deref())?;
                    let name = resolved.get(s, &service, || {
                        Ok(Arc::from(picker.snapshot(s).find_service(&service)?))
                    })?;
                    picker
                        .snapshot(s)
                        .service_match(ip, name)
                        .map(|hit| (hit.tag().name(), hit.region().map(|r| r.name())))
                }
                _ => None,
            };
            match hit {
                // A null row's fields are null too: DuckDB may read them.
                None => {
                    out.set_null(row);
                    tags.set_null(row);
                    regions.set_null(row);
                }
                Some((tag, region)) => {
                    tags.insert(row, tag);
                    match region {
                        Some(r) => regions.insert(row, r),
                        None => regions.set_null(row),
                    }
                }
            }
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        let returns =
            || LogicalTypeHandle::struct_type(&[("tag", varchar()), ("region", varchar())]);
        signatures(&[LogicalTypeId::Varchar], returns)
    }
}
