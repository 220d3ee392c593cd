//! A DuckDB column of addresses, in each type the functions take: `VARCHAR` text as
//! `aztags lookup` reads it, `BIGINT` and `UBIGINT` IPv4 addresses as integers, and
//! `BLOB`s of 4 (IPv4) or 16 (IPv6) bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use azure_service_tags::parse_ip;
use duckdb::core::{FlatVector, LogicalTypeId};
use duckdb::ffi::duckdb_string_t;
use duckdb::types::DuckString;

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
                let mut value = values[row];
                let bytes = DuckString::new(&mut value).as_bytes().to_vec();
                parse_ip(&bytes).ok_or_else(|| {
                    format!(
                        "{:?} is not an IPv4 or IPv6 address",
                        String::from_utf8_lossy(&bytes)
                    )
                })
            }
            Addresses::Signed(values) => ipv4(i128::from(values[row])),
            Addresses::Unsigned(values) => ipv4(i128::from(values[row])),
            Addresses::Bytes(values) => {
                let mut value = values[row];
                let bytes = DuckString::new(&mut value).as_bytes().to_vec();
                if let Ok(v4) = <[u8; 4]>::try_from(&bytes[..]) {
                    Ok(IpAddr::V4(Ipv4Addr::from(v4)))
                } else if let Ok(v6) = <[u8; 16]>::try_from(&bytes[..]) {
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

/// An integer as an IPv4 address: 0 to 4294967295.
fn ipv4(value: i128) -> Result<IpAddr, String> {
    u32::try_from(value)
        .map(|v| IpAddr::V4(Ipv4Addr::from(v)))
        .map_err(|_| format!("{value} is not an IPv4 address (0 to 4294967295)"))
}
