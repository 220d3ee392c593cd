//! A DuckDB column of addresses, in each type the functions take: `VARCHAR` text as
//! `aztags lookup` reads it, `BIGINT` and `UBIGINT` IPv4 addresses as integers, and
//! `BLOB`s of 4 (IPv4) or 16 (IPv6) bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use azure_service_tags::parse_ip;
use duckdb::core::{DataChunkHandle, FlatVector, LogicalTypeId};
use duckdb::ffi::{duckdb_data_chunk_get_vector, duckdb_string_t, duckdb_vector_get_validity};

/// The argument types an address may have.
pub(crate) const ADDRESS_TYPES: [LogicalTypeId; 4] = [
    LogicalTypeId::Varchar,
    LogicalTypeId::Bigint,
    LogicalTypeId::UBigint,
    LogicalTypeId::Blob,
];

/// One input column of addresses, read in place.
pub(crate) enum Addresses<'a> {
    /// Text.
    Text(&'a [duckdb_string_t]),
    /// IPv4 as a signed integer.
    Signed(&'a [i64]),
    /// IPv4 as an unsigned integer.
    Unsigned(&'a [u64]),
    /// 4 or 16 bytes.
    Bytes(&'a [duckdb_string_t]),
}

impl<'a> Addresses<'a> {
    /// The first `len` rows of `vector`, by its type.
    pub(crate) fn of(vector: &'a FlatVector<'a>, len: usize) -> Result<Addresses<'a>, String> {
        // SAFETY: DuckDB hands scalar functions flat vectors of `len` rows whose
        // element type is the one the vector's logical type names, matched here.
        unsafe {
            Ok(match vector.logical_type().id() {
                LogicalTypeId::Varchar => Addresses::Text(vector.as_slice_with_len(len)),
                LogicalTypeId::Bigint => Addresses::Signed(vector.as_slice_with_len(len)),
                LogicalTypeId::UBigint => Addresses::Unsigned(vector.as_slice_with_len(len)),
                LogicalTypeId::Blob => Addresses::Bytes(vector.as_slice_with_len(len)),
                other => return Err(format!("an address cannot be a {other:?}")),
            })
        }
    }

    /// Row `row`'s address (the caller has checked that it is not null), or an error
    /// naming the value.
    pub(crate) fn get(&self, row: usize) -> Result<IpAddr, String> {
        match self {
            Addresses::Text(values) => {
                let bytes = string_bytes(&values[row]);
                parse_ip(bytes).ok_or_else(|| {
                    format!(
                        "{:?} is not an IPv4 or IPv6 address",
                        String::from_utf8_lossy(bytes)
                    )
                })
            }
            Addresses::Signed(values) => ipv4(i128::from(values[row])),
            Addresses::Unsigned(values) => ipv4(i128::from(values[row])),
            Addresses::Bytes(values) => {
                let bytes = string_bytes(&values[row]);
                if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
                    Ok(IpAddr::V4(Ipv4Addr::from(v4)))
                } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
                    Ok(IpAddr::V6(Ipv6Addr::from(v6)))
                } else {
                    Err(format!(
                        "a BLOB address has 4 or 16 bytes, not {}",
                        bytes.len()
                    ))
                }
            }
        }
    }
}

/// The bytes of a DuckDB `VARCHAR` or `BLOB` value, read in place: the C API's
/// `duckdb_string_t` holds a value of at most 12 bytes inline and a longer one behind a
/// pointer, its length first in both cases (`duckdb.h`). No call into DuckDB per row.
pub(crate) fn string_bytes(value: &duckdb_string_t) -> &[u8] {
    // SAFETY: both layouts of the union start with the length; the inline bytes are
    // valid up to it when it is at most 12, else the pointer is, for as long as the
    // vector that holds `value` (which outlives the borrow).
    unsafe {
        let inlined = &value.value.inlined;
        let len = inlined.length as usize;
        if len <= inlined.inlined.len() {
            std::slice::from_raw_parts(inlined.inlined.as_ptr().cast::<u8>(), len)
        } else {
            std::slice::from_raw_parts(value.value.pointer.ptr.cast::<u8>(), len)
        }
    }
}

/// An integer as an IPv4 address: 0 to 4294967295.
fn ipv4(value: i128) -> Result<IpAddr, String> {
    u32::try_from(value)
        .map(|v| IpAddr::V4(Ipv4Addr::from(v)))
        .map_err(|_| format!("{value} is not an IPv4 address (0 to 4294967295)"))
}

/// Which rows of an input column are null, read once per chunk: DuckDB's validity
/// mask (one bit a row, set when the row is valid; absent when every row is).
pub(crate) struct Validity<'a>(Option<&'a [u64]>);

impl<'a> Validity<'a> {
    /// Column `column` of `chunk`, whose `len` rows the function answers.
    pub(crate) fn of(chunk: &'a DataChunkHandle, column: usize, len: usize) -> Validity<'a> {
        // SAFETY: `column` is a column of the chunk DuckDB passed in, which lives for
        // the call; its mask, when present, holds a bit for each of its `len` rows.
        unsafe {
            let vector = duckdb_data_chunk_get_vector(chunk.get_ptr(), column as u64);
            let mask = duckdb_vector_get_validity(vector);
            Validity((!mask.is_null()).then(|| std::slice::from_raw_parts(mask, len.div_ceil(64))))
        }
    }

    /// Whether row `row` is null.
    #[inline]
    pub(crate) fn is_null(&self, row: usize) -> bool {
        self.0
            .is_some_and(|mask| mask[row / 64] >> (row % 64) & 1 == 0)
    }
}
