//! The vectorized functions: a column of addresses in through the Arrow PyCapsule
//! interface (pyarrow, Polars, DuckDB, Spark's Arrow batches), a column of answers out,
//! with the GIL released while the loop runs.
//!
//! Addresses may be strings (`string`, `large_string`, `string_view`), IPv4 as
//! `uint32` (or `int64` in 0..2^32, as Spark stores it), or binaries of 4 or 16 bytes
//! (`binary`, `large_binary`, `binary_view`, `fixed_size_binary`), in network order.
//! Dictionary-encoded columns are decoded first. Nulls give nulls.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, UInt32Type};
use arrow_array::{Array, ArrayRef, StructArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, Fields};
use azure_service_tags::{parse_ip, Snapshot, TagMatcher, TagsContaining};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3_arrow::input::AnyArray;
use pyo3_arrow::{PyArray, PyChunkedArray};

use crate::errors::value_error;
use crate::held::Held;
use azure_service_tags::row_functions::OnBadValue;

/// `errors=` as the crate reads it (`error`, or `raise`, its former name; `null`).
pub(crate) fn on_invalid(errors: &str) -> PyResult<OnBadValue> {
    errors.parse().map_err(value_error)
}

/// Why a column could not be answered.
enum Failure {
    /// The column's type holds no addresses.
    Type(DataType),
    /// A value that is not an address, at a row of the whole input.
    Value { row: usize, shown: String },
    /// Arrow could not decode a dictionary column.
    Arrow(String),
}

impl From<Failure> for PyErr {
    fn from(failure: Failure) -> PyErr {
        match failure {
            Failure::Type(t) => PyTypeError::new_err(format!(
                "addresses must be strings, uint32 IPv4, int64 IPv4 or 4/16-byte binaries; \
                 the column is {t}"
            )),
            Failure::Value { row, shown } => value_error(format!(
                "row {row}: {shown} is not an IPv4 or IPv6 address \
                 (pass errors=\"null\" to answer null for such values)"
            )),
            Failure::Arrow(message) => value_error(message),
        }
    }
}

/// Calls `each` with the address of every row of `array` (`None` for a null, or under
/// [`OnBadValue::Null`] for a value that is not an address). `first_row` is the row
/// number of `array`'s first value in the whole input, for error messages.
fn for_each_address<F: FnMut(Option<IpAddr>)>(
    array: &dyn Array,
    first_row: usize,
    on_invalid: OnBadValue,
    each: &mut F,
) -> Result<(), Failure> {
    let text = |s: &str| format!("{s:?}");
    let binary = |b: &[u8]| format!("a binary of {} bytes (not 4 or 16)", b.len());
    let rows = Rows {
        first_row,
        on_invalid,
    };
    match array.data_type() {
        DataType::Utf8 => rows.visit(array.as_string::<i32>().iter(), text_ip, text, each),
        DataType::LargeUtf8 => rows.visit(array.as_string::<i64>().iter(), text_ip, text, each),
        DataType::Utf8View => rows.visit(array.as_string_view().iter(), text_ip, text, each),
        DataType::Binary => rows.visit(array.as_binary::<i32>().iter(), bytes_ip, binary, each),
        DataType::LargeBinary => {
            rows.visit(array.as_binary::<i64>().iter(), bytes_ip, binary, each)
        }
        DataType::BinaryView => rows.visit(array.as_binary_view().iter(), bytes_ip, binary, each),
        DataType::FixedSizeBinary(_) => {
            let values = array.as_fixed_size_binary().iter();
            rows.visit(values, bytes_ip, binary, each)
        }
        DataType::UInt32 => rows.visit(
            array.as_primitive::<UInt32Type>().iter(),
            |v| Some(IpAddr::V4(Ipv4Addr::from(v))),
            |_| String::new(),
            each,
        ),
        DataType::Int64 => rows.visit(
            array.as_primitive::<Int64Type>().iter(),
            |v| u32::try_from(v).ok().map(|v| IpAddr::V4(Ipv4Addr::from(v))),
            |v| format!("{v} (not in 0..=4294967295)"),
            each,
        ),
        DataType::Null => {
            (0..array.len()).for_each(|_| each(None));
            Ok(())
        }
        DataType::Dictionary(_, value_type) => {
            let plain = arrow_cast::cast(array, value_type)
                .map_err(|e| Failure::Arrow(format!("decoding a dictionary column: {e}")))?;
            for_each_address(&plain, first_row, on_invalid, each)
        }
        other => Err(Failure::Type(other.clone())),
    }
}

/// Where a chunk's rows start in the whole input, and what to do with a value that is
/// not an address.
struct Rows {
    first_row: usize,
    on_invalid: OnBadValue,
}

impl Rows {
    /// The loop over one column's values, monomorphized per column type: `parse` turns
    /// a value into an address, `shown` describes one that is not.
    fn visit<T: Copy>(
        &self,
        values: impl Iterator<Item = Option<T>>,
        parse: impl Fn(T) -> Option<IpAddr>,
        shown: impl Fn(T) -> String,
        each: &mut impl FnMut(Option<IpAddr>),
    ) -> Result<(), Failure> {
        for (row, value) in (self.first_row..).zip(values) {
            let answer = match value.map(|v| (v, parse(v))) {
                None => None,
                Some((_, Some(ip))) => Some(ip),
                Some((_, None)) if self.on_invalid == OnBadValue::Null => None,
                Some((v, None)) => {
                    return Err(Failure::Value {
                        row,
                        shown: shown(v),
                    })
                }
            };
            each(answer);
        }
        Ok(())
    }
}

fn text_ip(s: &str) -> Option<IpAddr> {
    parse_ip(s.as_bytes())
}

/// 4 bytes are IPv4, 16 bytes IPv6, in network order.
fn bytes_ip(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => <[u8; 4]>::try_from(b)
            .ok()
            .map(|a| IpAddr::V4(Ipv4Addr::from(a))),
        16 => <[u8; 16]>::try_from(b)
            .ok()
            .map(|a| IpAddr::V6(Ipv6Addr::from(a))),
        _ => None,
    }
}

/// The input's chunks, and whether it came as one array (answered with one array) or
/// as a stream (answered with a chunked array).
struct Input {
    chunks: Vec<ArrayRef>,
    single: bool,
}

fn input(ips: &Bound<'_, PyAny>) -> PyResult<Input> {
    let any: AnyArray = ips.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "expected an Arrow array or stream of addresses (pyarrow, Polars, DuckDB, or \
             anything with __arrow_c_array__ / __arrow_c_stream__), got {}",
            ips.get_type()
                .name()
                .map_or("?".to_string(), |n| n.to_string())
        ))
    })?;
    Ok(match any {
        AnyArray::Array(array) => Input {
            chunks: vec![array.into_inner().0],
            single: true,
        },
        AnyArray::Stream(stream) => Input {
            chunks: stream.into_chunked_array()?.into_inner().0,
            single: false,
        },
    })
}

/// Answers every chunk with `answer` (GIL released), and hands the answers back as a
/// pyarrow array or chunked array.
fn answer_all<'py>(
    py: Python<'py>,
    input: Input,
    field: Arc<Field>,
    answer: impl Fn(&dyn Array, usize) -> Result<ArrayRef, Failure> + Send + Sync,
) -> PyResult<Bound<'py, PyAny>> {
    let Input { chunks, single } = input;
    let answers = py.detach(|| {
        let mut first_row = 0;
        let mut answers = Vec::with_capacity(chunks.len());
        for chunk in &chunks {
            answers.push(answer(chunk.as_ref(), first_row)?);
            first_row += chunk.len();
        }
        Ok::<_, Failure>(answers)
    })?;
    if single {
        let array = answers
            .into_iter()
            .next()
            .ok_or_else(|| value_error("an Arrow array came back without its values"))?;
        let array = PyArray::try_new(array, field).map_err(value_error)?;
        // `to_pyarrow` borrows the array for the result's lifetime; the result owns its
        // data, so it is detached from that borrow.
        let answer = array.to_pyarrow(py)?.unbind();
        Ok(answer.into_bound(py))
    } else {
        PyChunkedArray::try_new(answers, field)?.into_pyarrow(py)
    }
}

/// Rows waiting for one batch lookup (`Snapshot::tags_containing_each`), in order:
/// null rows and addresses.
struct Batch<'s> {
    snap: &'s Snapshot,
    rows: Vec<Option<IpAddr>>,
    ips: Vec<IpAddr>,
    answers: Vec<TagsContaining<'s>>,
}

impl<'s> Batch<'s> {
    /// Rows looked up together.
    const ROWS: usize = 1024;

    fn new(snap: &'s Snapshot) -> Self {
        Batch {
            snap,
            rows: Vec::with_capacity(Self::ROWS),
            ips: Vec::with_capacity(Self::ROWS),
            answers: vec![snap.no_tags(); Self::ROWS],
        }
    }

    /// Queues a row; a full batch is answered.
    #[inline]
    fn push(&mut self, ip: Option<IpAddr>, emit: &mut impl FnMut(Option<TagsContaining<'s>>)) {
        self.rows.push(ip);
        self.ips.extend(ip);
        if self.rows.len() == Self::ROWS {
            self.answer(emit);
        }
    }

    /// Looks the queued addresses up and hands each row's answer to `emit`, in order
    /// (`None` for a null row).
    fn answer(&mut self, emit: &mut impl FnMut(Option<TagsContaining<'s>>)) {
        self.snap.tags_containing_each(&self.ips, &mut self.answers);
        let mut answers = self.answers.iter();
        for row in &self.rows {
            emit(row.and_then(|_| answers.next().cloned()));
        }
        self.rows.clear();
        self.ips.clear();
    }
}

/// `list<string>`: the tags containing each address.
pub(crate) fn tags<'py>(
    py: Python<'py>,
    held: &Arc<Held>,
    ips: &Bound<'py, PyAny>,
    on_invalid: OnBadValue,
) -> PyResult<Bound<'py, PyAny>> {
    let input = input(ips)?;
    let snap: &Snapshot = held.get();
    let item = Arc::new(Field::new("item", DataType::Utf8, true));
    let field = Arc::new(Field::new("tags", DataType::List(item.clone()), true));
    answer_all(py, input, field, |chunk, first_row| {
        let mut out = ListBuilder::with_capacity(
            StringBuilder::with_capacity(chunk.len(), chunk.len() * 8),
            chunk.len(),
        )
        .with_field(item.clone());
        let mut emit = |found: Option<TagsContaining<'_>>| match found {
            Some(found) => {
                for tag in found {
                    out.values().append_value(tag.name());
                }
                out.append(true);
            }
            None => out.append_null(),
        };
        let mut batch = Batch::new(snap);
        for_each_address(chunk, first_row, on_invalid, &mut |ip| {
            batch.push(ip, &mut emit)
        })?;
        batch.answer(&mut emit);
        Ok(Arc::new(out.finish()))
    })
}

/// `bool`: whether each address is the service's.
pub(crate) fn owned_by<'py>(
    py: Python<'py>,
    held: &Arc<Held>,
    ips: &Bound<'py, PyAny>,
    service: &str,
    on_invalid: OnBadValue,
) -> PyResult<Bound<'py, PyAny>> {
    let (_, matcher) = held.service_matcher(service)?;
    let input = input(ips)?;
    let matcher: &TagMatcher = &matcher;
    let field = Arc::new(Field::new("owned_by", DataType::Boolean, true));
    answer_all(py, input, field, |chunk, first_row| {
        let mut out = BooleanBuilder::with_capacity(chunk.len());
        for_each_address(chunk, first_row, on_invalid, &mut |ip| match ip {
            Some(ip) => out.append_value(matcher.contains(ip)),
            None => out.append_null(),
        })?;
        Ok(Arc::new(out.finish()))
    })
}

/// `struct<tag: string, region: string>`: the service's most specific tag containing
/// each address and its region; null when none does.
pub(crate) fn service_match<'py>(
    py: Python<'py>,
    held: &Arc<Held>,
    ips: &Bound<'py, PyAny>,
    service: &str,
    on_invalid: OnBadValue,
) -> PyResult<Bound<'py, PyAny>> {
    let (service, matcher) = held.service_matcher(service)?;
    let input = input(ips)?;
    let snap: &Snapshot = held.get();
    let matcher: &TagMatcher = &matcher;
    let fields = Fields::from(vec![
        Field::new("tag", DataType::Utf8, true),
        Field::new("region", DataType::Utf8, true),
    ]);
    let field = Arc::new(Field::new(
        "service_match",
        DataType::Struct(fields.clone()),
        true,
    ));
    answer_all(py, input, field, |chunk, first_row| {
        let mut tags = StringBuilder::with_capacity(chunk.len(), chunk.len() * 8);
        let mut regions = StringBuilder::with_capacity(chunk.len(), chunk.len() * 8);
        let mut valid = Vec::with_capacity(chunk.len());
        for_each_address(chunk, first_row, on_invalid, &mut |ip| {
            // The matcher rules most addresses out without walking their tags.
            let hit = ip
                .filter(|&ip| matcher.contains(ip))
                .and_then(|ip| snap.service_match(ip, &service));
            match hit {
                Some(hit) => {
                    tags.append_value(hit.tag().name());
                    regions.append_option(hit.region().map(|r| r.name()));
                }
                None => {
                    tags.append_null();
                    regions.append_null();
                }
            }
            valid.push(hit.is_some());
        })?;
        let columns: Vec<ArrayRef> = vec![Arc::new(tags.finish()), Arc::new(regions.finish())];
        let array = StructArray::try_new(fields.clone(), columns, Some(NullBuffer::from(valid)))
            .map_err(|e| Failure::Arrow(e.to_string()))?;
        Ok(Arc::new(array))
    })
}
