//! The scalar functions: `azure_tags_containing(ip)` (also registered as `azure_tags`),
//! `azure_owned_by(ip, service)` and `azure_service_match(ip, service)`, each for every
//! address type, answered by the crate's lookups on the compiled-in Public snapshot.
//! A null address or service gives null; a value that is not an address fails the query
//! with an error naming it.

use std::collections::HashMap;
use std::error::Error;
use std::sync::{Arc, RwLock};

use azure_service_tags::{public, Snapshot, TagMatcher};
use duckdb::core::{DataChunkHandle, Inserter, LogicalTypeHandle, LogicalTypeId};
use duckdb::ffi::duckdb_string_t;
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use duckdb::Connection;

use crate::addresses::{string_bytes, Addresses, Validity, ADDRESS_TYPES};

type Failure = Box<dyn Error>;

/// Registers every function on `con`.
pub(crate) fn register(con: &Connection) -> Result<(), Failure> {
    con.register_scalar_function::<TagsContaining>("azure_tags_containing")?;
    con.register_scalar_function::<TagsContaining>("azure_tags")?;
    con.register_scalar_function::<OwnedBy>("azure_owned_by")?;
    con.register_scalar_function::<ServiceMatch>("azure_service_match")?;
    Ok(())
}

fn varchar() -> LogicalTypeHandle {
    LogicalTypeId::Varchar.into()
}

/// One signature per address type, with the other parameters after it.
fn signatures(
    rest: &[LogicalTypeId],
    returns: impl Fn() -> LogicalTypeHandle,
) -> Vec<ScalarFunctionSignature> {
    ADDRESS_TYPES
        .iter()
        .map(|&ip| {
            let mut params: Vec<LogicalTypeHandle> = vec![ip.into()];
            params.extend(rest.iter().map(|&t| LogicalTypeHandle::from(t)));
            ScalarFunctionSignature::exact(params, returns())
        })
        .collect()
}

/// The service of each row: a `VARCHAR` column.
struct Services<'a>(&'a [duckdb_string_t]);

impl Services<'_> {
    /// Row `row`'s service name, as text (lossy for bytes that are not UTF-8).
    fn get(&self, row: usize) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(string_bytes(&self.0[row]))
    }
}

/// `azure_tags_containing(ip) -> VARCHAR[]`: every tag containing the address, in
/// published order.
struct TagsContaining;

impl VScalar for TagsContaining {
    type State = ();

    fn invoke(
        _: &(),
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Failure> {
        let snap = public();
        let len = input.len();
        let column = input.flat_vector(0);
        let ips = Addresses::of(&column, len)?;
        let null = Validity::of(input, 0, len);
        let mut list = output.list_vector();
        let mut names: Vec<&'static str> = Vec::new();
        let mut entries: Vec<Option<(usize, usize)>> = Vec::with_capacity(len);
        for row in 0..len {
            if null.is_null(row) {
                entries.push(None);
                continue;
            }
            let start = names.len();
            names.extend(snap.tags_containing(ips.get(row)?).map(|t| t.name()));
            entries.push(Some((start, names.len() - start)));
        }
        let child = list.child(names.len());
        for (i, name) in names.iter().enumerate() {
            child.insert(i, *name);
        }
        list.set_len(names.len());
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

/// The matchers prepared for each service asked about, shared by DuckDB's threads.
#[derive(Default)]
struct Matchers(RwLock<HashMap<String, Arc<TagMatcher>>>);

impl Matchers {
    /// The matcher of `service` (any case); an unknown service fails with the closest
    /// names.
    fn get(&self, snap: &Snapshot, service: &str) -> Result<Arc<TagMatcher>, Failure> {
        if let Some(m) = self.0.read().ok().and_then(|m| m.get(service).cloned()) {
            return Ok(m);
        }
        let name = snap.find_service(service)?;
        let matcher = Arc::new(TagMatcher::for_service(snap, name));
        if let Ok(mut cache) = self.0.write() {
            cache.insert(service.to_string(), Arc::clone(&matcher));
        }
        Ok(matcher)
    }
}

/// `azure_owned_by(ip, service) -> BOOLEAN`: whether the address is the service's (its
/// global or a regional tag).
struct OwnedBy;

impl VScalar for OwnedBy {
    type State = Matchers;

    fn invoke(
        matchers: &Matchers,
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Failure> {
        let snap = public();
        let len = input.len();
        let (column, services) = (input.flat_vector(0), input.flat_vector(1));
        let ips = Addresses::of(&column, len)?;
        let (null_ip, null_service) = (Validity::of(input, 0, len), Validity::of(input, 1, len));
        // SAFETY: the second parameter is a VARCHAR of `len` rows.
        let names = Services(unsafe { services.as_slice_with_len(len) });
        let mut out = output.flat_vector();
        let mut answers = vec![false; len];
        let mut last: Option<(String, Arc<TagMatcher>)> = None;
        for (row, answer) in answers.iter_mut().enumerate() {
            if null_ip.is_null(row) || null_service.is_null(row) {
                out.set_null(row);
                continue;
            }
            let service = names.get(row);
            let matcher = match &last {
                Some((s, m)) if *s == service => Arc::clone(m),
                _ => {
                    let m = matchers.get(snap, &service)?;
                    last = Some((service.into_owned(), Arc::clone(&m)));
                    m
                }
            };
            *answer = matcher.contains(ips.get(row)?);
        }
        // SAFETY: the output is a BOOLEAN vector of at least `len` rows.
        unsafe { out.copy(&answers) };
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        signatures(&[LogicalTypeId::Varchar], || LogicalTypeId::Boolean.into())
    }
}

/// `azure_service_match(ip, service) -> STRUCT(tag VARCHAR, region VARCHAR)`: the
/// service's most specific tag containing the address and its region; null where none
/// does.
struct ServiceMatch;

impl VScalar for ServiceMatch {
    type State = ();

    fn invoke(
        _: &(),
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Failure> {
        let snap = public();
        let len = input.len();
        let (column, services) = (input.flat_vector(0), input.flat_vector(1));
        let ips = Addresses::of(&column, len)?;
        let (null_ip, null_service) = (Validity::of(input, 0, len), Validity::of(input, 1, len));
        // SAFETY: the second parameter is a VARCHAR of `len` rows.
        let names = Services(unsafe { services.as_slice_with_len(len) });
        let mut out = output.struct_vector();
        let (mut tags, mut regions) = (out.child(0, len), out.child(1, len));
        let mut last: Option<(String, &str)> = None;
        for row in 0..len {
            let answer = if null_ip.is_null(row) || null_service.is_null(row) {
                None
            } else {
                let asked = names.get(row);
                let service = match &last {
                    Some((a, s)) if *a == asked => *s,
                    _ => {
                        let s = snap.find_service(&asked)?;
                        last = Some((asked.into_owned(), s));
                        s
                    }
                };
                snap.service_match(ips.get(row)?, service)
            };
            match answer {
                // A null row's fields are null too: DuckDB may read them.
                None => {
                    out.set_null(row);
                    tags.set_null(row);
                    regions.set_null(row);
                }
                Some(hit) => {
                    tags.insert(row, hit.tag().name());
                    match hit.region() {
                        Some(r) => regions.insert(row, r.name()),
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
