//! What text is an address: one strict rule, [`parse_ip`], for columns of addresses,
//! and one lenient rule, [`parse_ip_trimmed`], for text a person typed or pasted (the
//! `aztags` commands), which is the strict rule after trimming surrounding whitespace.
//! [`AddressError`] says why a text is not an address. The Spark jar's
//! `Addresses.java` implements the strict rule again for the JVM, and is tested against
//! this one.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

/// The strict rule, for columns of addresses (the Python, DuckDB and Spark functions):
/// exactly the spellings [`IpAddr`]'s parser accepts, no surrounding whitespace, no
/// IPv6 zone id (`fe80::1%eth0`). IPv4 takes a one-pass fast path; `None` when `text`
/// is not an address.
///
/// ```
/// use azure_service_tags::parse_ip;
/// assert_eq!(parse_ip(b"20.41.0.241"), "20.41.0.241".parse().ok());
/// assert_eq!(parse_ip(b"2603:1030::1"), "2603:1030::1".parse().ok());
/// assert_eq!(parse_ip(b"020.41.0.241"), None);
/// assert_eq!(parse_ip(b"fe80::1%eth0"), None);
/// ```
#[inline]
pub fn parse_ip(text: &[u8]) -> Option<IpAddr> {
    if let Some(ip) = parse_ipv4(text) {
        return Some(IpAddr::V4(ip));
    }
    // Without a dot there is no embedded IPv4 address, and the hex groups say it all.
    if !text.contains(&b'.') {
        return parse_ipv6_groups(text).map(IpAddr::V6);
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// An IPv4 address in dotted-decimal without leading zeros (what `Ipv4Addr`'s parser
/// accepts), or `None`: one pass over the bytes.
#[inline]
fn parse_ipv4(text: &[u8]) -> Option<Ipv4Addr> {
    if !(7..=15).contains(&text.len()) {
        return None;
    }
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (k, octet) in octets.iter_mut().enumerate() {
        if k > 0 {
            if text.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let start = i;
        let mut value = 0u32;
        while let Some(&b) = text.get(i) {
            if !b.is_ascii_digit() || i - start == 3 {
                break;
            }
            value = value * 10 + u32::from(b - b'0');
            i += 1;
        }
        let digits = i - start;
        if digits == 0 || value > 255 || (digits > 1 && text[start] == b'0') {
            return None;
        }
        *octet = value as u8;
    }
    (i == text.len()).then_some(Ipv4Addr::from(octets))
}

/// An IPv6 address of hex groups only (no embedded IPv4 address), read by the rules of
/// `Ipv6Addr`'s parser: eight groups of one to four hex digits, or fewer around one
/// `::` that stands for at least one zero group; `None` when `text` is not one.
fn parse_ipv6_groups(text: &[u8]) -> Option<Ipv6Addr> {
    if text.len() > 39 {
        return None;
    }
    let mut groups = [0u16; 8];
    let (head, at) = hex_groups(text, 0, &mut groups);
    if head < 8 {
        if text.get(at..at + 2) != Some(b"::") {
            return None;
        }
        let mut tail = [0u16; 7];
        let (n, end) = hex_groups(text, at + 2, &mut tail[..7 - head]);
        if end != text.len() {
            return None;
        }
        groups[8 - n..].copy_from_slice(&tail[..n]);
    } else if at != text.len() {
        return None;
    }
    Some(Ipv6Addr::from(groups))
}

/// Reads `:`-separated groups of one to four hex digits from `text[at..]` into
/// `groups`, as many as fit and are there; returns how many it read and where the last
/// one ended (a `:` not followed by a group is left unread, as `::` is).
fn hex_groups(text: &[u8], mut at: usize, groups: &mut [u16]) -> (usize, usize) {
    for (i, group) in groups.iter_mut().enumerate() {
        let start = if i == 0 { at } else { at + 1 };
        if i > 0 && text.get(at) != Some(&b':') {
            return (i, at);
        }
        let (mut value, mut digits) = (0u16, 0);
        while let Some(d) = text
            .get(start + digits)
            .and_then(|&b| (b as char).to_digit(16))
        {
            if digits == 4 {
                break;
            }
            value = value << 4 | d as u16;
            digits += 1;
        }
        if digits == 0 {
            return (i, at);
        }
        *group = value;
        at = start + digits;
    }
    (groups.len(), at)
}

/// The lenient rule, for text a person typed or pasted (`aztags lookup`, `aztags
/// check`): [`parse_ip`] after trimming surrounding whitespace, Unicode's included.
///
/// ```
/// use azure_service_tags::parse_ip_trimmed;
/// assert_eq!(parse_ip_trimmed(b" 20.41.0.241\r"), "20.41.0.241".parse().ok());
/// assert_eq!(parse_ip_trimmed("\u{a0}2603:1030::1".as_bytes()), "2603:1030::1".parse().ok());
/// assert_eq!(parse_ip_trimmed(b"20.41.0.0/24"), None);
/// ```
pub fn parse_ip_trimmed(text: &[u8]) -> Option<IpAddr> {
    parse_ip(text.trim_ascii())
        .or_else(|| parse_ip(std::str::from_utf8(text).ok()?.trim().as_bytes()))
}

/// Why a text is not an address, by the lenient rule: a prefix where an address was
/// wanted, or not an address at all. Its `Display` names the text and, for a prefix,
/// the address to give instead.
///
/// ```
/// use azure_service_tags::AddressError;
/// let e = AddressError::of("20.41.0.0/24");
/// assert!(e.to_string().contains("is a prefix, not an address"));
/// assert!(e.to_string().contains("20.41.0.0"));
/// assert!(AddressError::of("nope").to_string().contains("is not an IPv4 or IPv6 address"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    /// The text is a prefix (CIDR), not one address.
    Prefix {
        /// The text as given.
        text: String,
        /// The prefix it reads as.
        prefix: IpNet,
    },
    /// The text is neither an address nor a prefix.
    NotAnAddress {
        /// The text as given.
        text: String,
    },
}

impl AddressError {
    /// The error for `text`, which [`parse_ip_trimmed`] did not take.
    ///
    /// ```
    /// use azure_service_tags::AddressError;
    /// assert!(matches!(AddressError::of("10.0.0.0/8"), AddressError::Prefix { .. }));
    /// ```
    pub fn of(text: &str) -> AddressError {
        let text = text.to_owned();
        match text.trim().parse::<IpNet>() {
            Ok(prefix) => AddressError::Prefix { text, prefix },
            Err(_) => AddressError::NotAnAddress { text },
        }
    }
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressError::Prefix { text, prefix } => write!(
                f,
                "{text:?} is a prefix, not an address: give one address, such as its first, {}",
                prefix.network()
            ),
            AddressError::NotAnAddress { text } => {
                write!(f, "{text:?} is not an IPv4 or IPv6 address")
            }
        }
    }
}

impl std::error::Error for AddressError {}

#[cfg(test)]
mod tests {
    use super::{parse_ip_trimmed, parse_ipv4};

    /// The fast parser accepts exactly what `Ipv4Addr`'s parser accepts.
    #[test]
    fn the_fast_ipv4_parser_agrees_with_std() {
        let cases = [
            "0.0.0.0",
            "1.2.3.4",
            "255.255.255.255",
            "20.41.0.241",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "1.02.3.4",
            "1.2.3.04",
            "1.2.3.0",
            "1..3.4",
            ".1.2.3",
            "1.2.3.",
            "1234.1.1.1",
            "1.2.3.4 ",
            "a.b.c.d",
            "1.2.3.-4",
            "+1.2.3.4",
            "100.200.250.255",
            "999.0.0.0",
            "1.2.3.4x",
            "12.34.56.789",
            "",
        ];
        for case in cases {
            assert_eq!(parse_ipv4(case.as_bytes()), case.parse().ok(), "{case:?}");
        }
        let mut x = 0x9e37_79b9u32;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let text = std::net::Ipv4Addr::from(x).to_string();
            assert_eq!(parse_ipv4(text.as_bytes()), text.parse().ok(), "{text}");
        }
    }

    /// The lenient rule is the strict one after a trim.
    #[test]
    fn the_lenient_rule_is_the_strict_one_after_a_trim() {
        for text in [
            "1.2.3.4",
            " 1.2.3.4",
            "1.2.3.4\t",
            "\u{2003}::1\u{3000}",
            "::1",
            "x",
            "",
        ] {
            let strict = text.trim().parse().ok();
            assert_eq!(parse_ip_trimmed(text.as_bytes()), strict, "{text:?}");
        }
    }
}
