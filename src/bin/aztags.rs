//! `aztags`: Azure service tags, regions and UDRs from the command line.
//!
//! Exit codes: 0 success, 1 not found / not owned, 2 usage or input error (with a
//! message on stderr naming the bad input).

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{self, BufWriter, Read, Write};
use std::net::IpAddr;
use std::process::ExitCode;

use azure_service_tags::__private::format::strip_bom_bytes;
use azure_service_tags::diff::diff;
use azure_service_tags::official::OfficialError;
use azure_service_tags::render::{render, render_changes, Format, RenderError, Target};
use azure_service_tags::route::{
    plan, Families, Mode, NextHop, NextHopError, RouteError, RouteRequest, DEFAULT_MAX_ROUTES,
};
use azure_service_tags::{snapshot_of, Cloud, Date, Snapshot, Tag, TagFilter};
use clap::{Parser, Subcommand, ValueEnum};
use ipnet::IpNet;
use serde::Serialize;

/// Azure service tags, regions and user-defined routes, from a pinned snapshot.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Cli {
    /// The cloud whose snapshot to use.
    #[arg(long, global = true, default_value = "public", value_parser = parse_cloud)]
    cloud: Cloud,
    /// Use this snapshot instead of the compiled-in one: an official JSON file, or a
    /// directory in the data/ format.
    #[arg(long, global = true, value_name = "FILE")]
    snapshot: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    /// Readable text.
    Table,
    /// JSON (JSON Lines for `lookup`), with stable field names.
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The tags containing each IP (`-` or --file for one IP per line, streamed).
    Lookup {
        /// IP addresses; `-` reads standard input.
        ips: Vec<String>,
        /// Read one IP per line from this file.
        #[arg(long, value_name = "FILE")]
        file: Option<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Output,
    },
    /// Exit 0 if IP belongs to the service, 1 if not.
    Check {
        /// The service, e.g. AzureMachineLearning.
        #[arg(long, default_value = "AzureMachineLearning")]
        service: String,
        /// The IP address.
        ip: String,
        #[arg(long, value_enum, default_value = "table")]
        format: Output,
    },
    /// A tag's properties and prefixes.
    Tag {
        /// The tag name, any case.
        name: String,
        #[arg(long, conflicts_with = "ipv6")]
        ipv4: bool,
        #[arg(long)]
        ipv6: bool,
        /// Merge adjacent and contained prefixes (lossless).
        #[arg(long)]
        aggregate: bool,
        #[arg(long, value_enum, default_value = "table")]
        format: Output,
    },
    /// List tags, optionally of one service and/or region.
    Tags {
        #[arg(long)]
        service: Option<String>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Output,
    },
    /// A region: ARM name, display name, code, geography, pair.
    Region {
        /// Any spelling: eastus2, "East US 2", centralfrance.
        name: String,
        #[arg(long, value_enum, default_value = "table")]
        format: Output,
    },
    /// User-defined routes for a service in a region and its pair.
    Routes {
        #[arg(long, default_value = "AzureMachineLearning")]
        service: String,
        #[arg(long)]
        region: String,
        /// Do not add the paired region's routes.
        #[arg(long)]
        no_paired: bool,
        #[arg(long, value_enum, default_value = "prefixes")]
        mode: Mode,
        /// IPv6 only.
        #[arg(long, conflicts_with = "all_families")]
        ipv6: bool,
        /// IPv4 and IPv6.
        #[arg(long)]
        all_families: bool,
        #[arg(long, default_value = "Internet")]
        next_hop_type: String,
        #[arg(long)]
        next_hop_ip: Option<IpAddr>,
        #[arg(long, default_value_t = DEFAULT_MAX_ROUTES)]
        max_routes: usize,
        /// Merge into wider supernets until the plan fits (routes extra addresses).
        #[arg(long)]
        summarize: bool,
        /// The rendering.
        #[arg(long, value_enum, ignore_case = true, default_value = "table")]
        format: Format,
        #[arg(short = 'g', long, default_value = "my-resource-group")]
        resource_group: String,
        /// An existing route table: the renderings add routes to it.
        #[arg(long, default_value = "my-route-table")]
        route_table: String,
        /// ARM and Bicep: declare the route table itself with exactly these routes
        /// (deploying that deletes the table's other routes).
        #[arg(long)]
        whole_table: bool,
        /// The snapshot the route table was made from: print only the deletes and
        /// creates that bring it to the current plan (az-cli, powershell or json).
        #[arg(long, value_name = "OLD")]
        since: Option<String>,
    },
    /// What changed between two snapshots (each `embedded`, `current`, an official JSON
    /// file, or a data/ directory).
    Diff {
        /// The older snapshot.
        old: String,
        /// The newer snapshot (default: the one in use).
        #[arg(default_value = "current")]
        new: String,
        #[arg(long)]
        service: Option<String>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Output,
    },
    /// The snapshot's provenance, counts and age.
    Info {
        #[arg(long, value_enum, default_value = "table")]
        format: Output,
    },
}

fn parse_cloud(s: &str) -> Result<Cloud, String> {
    s.parse::<Cloud>().map_err(|e| e.to_string())
}

/// A failure: exit code 1 (not found) or 2 (input), with the message for stderr.
struct Fail(u8, String);

fn input(msg: impl Into<String>) -> Fail {
    Fail(2, msg.into())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let spec = cli.snapshot.as_deref().unwrap_or("embedded");
    let snap = match load_snapshot(spec, cli.cloud, None) {
        Ok(s) => s,
        Err(Fail(code, msg)) => {
            eprintln!("aztags: {msg}");
            return ExitCode::from(code);
        }
    };
    match run(snap, cli.cloud, cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(Fail(code, msg)) => {
            eprintln!("aztags: {msg}");
            ExitCode::from(code)
        }
    }
}

/// A snapshot named on the command line: `embedded` (the compiled-in one of `cloud`),
/// `current` (the one in use), a data/ directory, or an official JSON file. Loaded
/// snapshots live as long as the process.
fn load_snapshot(
    spec: &str,
    cloud: Cloud,
    current: Option<&'static Snapshot>,
) -> Result<&'static Snapshot, Fail> {
    if let ("current", Some(c)) = (spec, current) {
        return Ok(c);
    }
    if spec == "embedded" || spec == "current" {
        return snapshot_of(cloud).ok_or_else(|| {
            input(format!(
                "the {} snapshot is not compiled in (build with --features {}, or pass --snapshot FILE)",
                cloud.short_name(),
                cloud.short_name()
            ))
        });
    }
    let snap = Snapshot::open(spec).map_err(|e| match e {
        OfficialError::Invalid { .. } => {
            input(format!("{spec}: the snapshot cannot be loaded: {e}"))
        }
        e => input(format!("{spec}: {e}")),
    })?;
    Ok(Box::leak(Box::new(snap)))
}

/// A route error with the options that would get past it.
fn route_advice(e: &RouteError) -> String {
    match e {
        RouteError::NoTagInRegion { .. } => format!(
            "{e}; try --no-paired, another region, or the global tag with --mode service-tag"
        ),
        RouteError::TooManyRoutes { .. } => format!(
            "{e}; use --mode service-tag (one route per tag, where the tags carry UDR), raise \
             --max-routes (Azure allows up to 1,000 routes per table since 2026) if your \
             subscription has the higher limit, or pass --summarize to merge prefixes into wider \
             supernets (which routes addresses that are not the service's)"
        ),
        RouteError::NotRoutable { .. } => format!("{e}; use --mode prefixes"),
        RouteError::ZeroLimit => "--max-routes must be at least 1".to_string(),
        e => e.to_string(),
    }
}

fn run(snap: &'static Snapshot, cloud: Cloud, command: Command) -> Result<u8, Fail> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let code = match command {
        Command::Lookup { ips, file, format } => lookup(snap, &ips, file, format, &mut out)?,
        Command::Check {
            service,
            ip,
            format,
        } => check(snap, &service, &ip, format, &mut out)?,
        Command::Tag {
            name,
            ipv4,
            ipv6,
            aggregate,
            format,
        } => tag(snap, &name, ipv4, ipv6, aggregate, format, &mut out)?,
        Command::Tags {
            service,
            region,
            format,
        } => tags(snap, service, region, format, &mut out)?,
        Command::Region { name, format } => region(snap, &name, format, &mut out)?,
        Command::Routes {
            service,
            region,
            no_paired,
            mode,
            ipv6,
            all_families,
            next_hop_type,
            next_hop_ip,
            max_routes,
            summarize,
            format,
            resource_group,
            route_table,
            whole_table,
            since,
        } => {
            let mut req = RouteRequest::new(&service, &region);
            req.include_paired = !no_paired;
            req.mode = mode;
            req.families = match (ipv6, all_families) {
                (true, _) => Families::Ipv6,
                (_, true) => Families::Both,
                _ => Families::Ipv4,
            };
            req.next_hop = NextHop::parse(&next_hop_type, next_hop_ip).map_err(|e| match e {
                NextHopError::MissingIp => input(format!("{e} (--next-hop-ip)")),
                e => input(e.to_string()),
            })?;
            req.max_routes = max_routes;
            req.summarize = summarize;
            let p = plan(snap, &req).map_err(|e| input(route_advice(&e)))?;
            let target = Target {
                resource_group,
                route_table,
                whole_table,
            };
            let text = match since {
                Some(since) => {
                    let old_snap = load_snapshot(&since, cloud, Some(snap))?;
                    let old = plan(old_snap, &req)
                        .map_err(|e| input(format!("in {since}: {}", route_advice(&e))))?;
                    render_changes(&old, &p, format, &target).map_err(|e| match e {
                        RenderError::NoChangeScript(f) => input(format!(
                            "--since renders as az-cli, powershell or json, not {}",
                            f.name()
                        )),
                        e => input(e.to_string()),
                    })?
                }
                None => render(&p, format, &target),
            };
            let _ = out.write_all(text.as_bytes());
            0
        }
        Command::Info { format } => info(snap, format, &mut out)?,
        Command::Diff {
            old,
            new,
            service,
            region,
            format,
        } => {
            let old = load_snapshot(&old, cloud, Some(snap))?;
            let new = load_snapshot(&new, cloud, Some(snap))?;
            let filter = TagFilter {
                service: service.as_deref(),
                region: region.as_deref(),
            };
            let report = diff(old, new, &filter).map_err(|e| input(e.to_string()))?;
            let text = match format {
                Output::Json => report.to_json(),
                Output::Table => report.to_text(),
            };
            let _ = out.write_all(text.as_bytes());
            u8::from(!report.is_empty())
        }
    };
    out.flush()
        .map_err(|e| input(format!("cannot write output: {e}")))?;
    Ok(code)
}

/// Writes one value as JSON on a line of its own.
fn emit_json(out: &mut (impl Write + ?Sized), value: &impl Serialize) {
    // The views below hold strings, numbers and options: serializing cannot fail.
    let _ = writeln!(out, "{}", serde_json::to_string(value).unwrap_or_default());
}

/// A tag, briefly: what `lookup` prints for each tag that contains an address.
#[derive(Serialize)]
struct TagBrief<'a> {
    name: &'a str,
    service: &'a str,
    region: Option<&'a str>,
}

impl<'a> TagBrief<'a> {
    fn of(t: Tag<'a>) -> Self {
        TagBrief {
            name: t.name(),
            service: t.service(),
            region: t.region().map(|r| r.name()),
        }
    }
}

/// One line of `lookup --format json`.
#[derive(Serialize)]
struct LookupLine<'a> {
    ip: String,
    tags: Vec<TagBrief<'a>>,
}

/// `check --format json`.
#[derive(Serialize)]
struct CheckView<'a> {
    ip: String,
    service: &'a str,
    owned: bool,
    tag: Option<&'a str>,
    region: Option<&'a str>,
}

/// One tag of `tags --format json`.
#[derive(Serialize)]
struct TagCounts<'a> {
    name: &'a str,
    service: &'a str,
    region: Option<&'a str>,
    ipv4: usize,
    ipv6: usize,
    udr: bool,
}

/// `info --format json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InfoView<'a> {
    cloud: Cloud,
    change_number: u32,
    source: &'a str,
    sha256: &'a str,
    published: Option<Date>,
    age_days: Option<i64>,
    tags: usize,
    regions: usize,
    ipv4_prefixes: usize,
    ipv6_prefixes: usize,
}

/// `lookup`'s state: where answers go, and what it has seen.
struct Lookup<'s, W: Write> {
    snap: &'s Snapshot,
    format: Output,
    out: W,
    /// Answers not yet written: appended to without a call per piece, and written out
    /// in blocks.
    pending: Vec<u8>,
    /// Some address is in no tag.
    unmatched: bool,
    /// Inputs that were not addresses.
    bad: usize,
}

impl<W: Write> Lookup<'_, W> {
    /// Answers one line or argument; `origin` names it in errors. Blank lines are
    /// skipped.
    fn line(&mut self, bytes: &[u8], origin: impl Fn() -> String) {
        let trimmed = bytes.trim_ascii();
        if trimmed.is_empty() {
            return;
        }
        // The fast path: an IPv4 address in the one spelling Rust accepts, which is
        // also how it prints, so the input is echoed as it is.
        if self.format == Output::Table {
            if let Some(ip) = parse_ipv4(trimmed) {
                let found = self.snap.tags_containing(IpAddr::V4(ip));
                self.pending.extend_from_slice(trimmed);
                self.table_row(found);
                return;
            }
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text.trim(),
            Err(_) => "\u{fffd}(not UTF-8)",
        };
        // Only an IPv6 address has a colon: skip the IPv4 attempt of `IpAddr`'s parser.
        let parsed = if text.contains(':') {
            text.parse::<std::net::Ipv6Addr>().map(IpAddr::V6)
        } else {
            text.parse::<IpAddr>()
        };
        let Ok(ip) = parsed else {
            eprintln!(
                "aztags: {}: {text:?} is not an IPv4 or IPv6 address",
                origin()
            );
            self.bad += 1;
            return;
        };
        let found = self.snap.tags_containing(ip);
        match self.format {
            Output::Json => {
                self.unmatched |= found.len() == 0;
                emit_json(
                    &mut self.pending,
                    &LookupLine {
                        ip: ip.to_string(),
                        tags: found.map(TagBrief::of).collect(),
                    },
                );
                self.flush_some();
            }
            Output::Table => {
                match ip {
                    IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
                        write_ipv6(&mut self.pending, v6)
                    }
                    // Writing into a Vec cannot fail.
                    ip => {
                        let _ = write!(self.pending, "{ip}");
                    }
                }
                self.table_row(found);
            }
        }
    }

    /// The rest of a table row after the address: `<tab>tag,tag,...` or `<tab>-`.
    fn table_row(&mut self, found: azure_service_tags::TagsContaining<'_>) {
        self.unmatched |= found.len() == 0;
        let row = &mut self.pending;
        row.push(b'\t');
        if found.len() == 0 {
            row.push(b'-');
        }
        for (i, t) in found.enumerate() {
            if i > 0 {
                row.push(b',');
            }
            row.extend_from_slice(t.name().as_bytes());
        }
        row.push(b'\n');
        self.flush_some();
    }

    /// Writes the pending answers out once there are enough of them.
    #[inline]
    fn flush_some(&mut self) {
        if self.pending.len() >= 1 << 16 {
            self.flush();
        }
    }

    /// Writes every pending answer out.
    fn flush(&mut self) {
        let _ = self.out.write_all(&self.pending);
        self.pending.clear();
    }

    /// Answers each line of `reader`, read in large blocks. A UTF-8 BOM before the
    /// first line is skipped; a line that is not UTF-8 is reported, with its number.
    fn stream(&mut self, mut reader: impl Read, name: &str) -> Result<(), Fail> {
        let mut buf = vec![0u8; 1 << 20];
        let mut filled = 0;
        let mut n = 0usize;
        loop {
            let read = loop {
                match reader.read(&mut buf[filled..]) {
                    Ok(read) => break read,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        return Err(input(format!("{name}: cannot read line {}: {e}", n + 1)))
                    }
                }
            };
            filled += read;
            let end = if read == 0 {
                filled
            } else {
                match buf[..filled].iter().rposition(|&b| b == b'\n') {
                    Some(last) => last + 1,
                    // A line longer than the buffer: make room and read on.
                    None if filled == buf.len() => {
                        buf.resize(buf.len() * 2, 0);
                        continue;
                    }
                    None => continue,
                }
            };
            let mut from = 0;
            while from < end {
                let to = memchr::memchr(b'\n', &buf[from..end]).map_or(end, |i| from + i + 1);
                n += 1;
                let line = &buf[from..to];
                let line = if n == 1 { strip_bom_bytes(line) } else { line };
                self.line(line, || format!("{name}:{n}"));
                from = to;
            }
            if read == 0 {
                return Ok(());
            }
            buf.copy_within(end..filled, 0);
            filled -= end;
        }
    }
}

impl<W: Write> Drop for Lookup<'_, W> {
    /// Whatever ends the lookup, the answers given so far are written.
    fn drop(&mut self) {
        self.flush();
    }
}

/// Appends an IPv6 address as `Ipv6Addr`'s `Display` writes it (RFC 5952: lowercase
/// hex without leading zeros, the longest run of two or more zero groups, the first of
/// equals, as `::`), without the formatting machinery. IPv4-mapped addresses, which
/// print in dotted form, are not for this function.
fn write_ipv6(out: &mut Vec<u8>, ip: std::net::Ipv6Addr) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let groups = ip.segments();
    let (mut best, mut best_len, mut run, mut run_len) = (0, 0, 0, 0);
    for (i, &g) in groups.iter().enumerate() {
        if g == 0 {
            if run_len == 0 {
                run = i;
            }
            run_len += 1;
            if run_len > best_len {
                (best, best_len) = (run, run_len);
            }
        } else {
            run_len = 0;
        }
    }
    let write_group = |out: &mut Vec<u8>, g: u16| {
        let digits = (16 - g.leading_zeros()).div_ceil(4).max(1);
        for d in (0..digits).rev() {
            out.push(HEX[usize::from((g >> (4 * d)) & 0xf)]);
        }
    };
    let mut i = 0;
    while i < 8 {
        if best_len > 1 && i == best {
            out.extend_from_slice(b"::");
            i += best_len;
            continue;
        }
        if i > 0 && !(best_len > 1 && i == best + best_len) {
            out.push(b':');
        }
        write_group(out, groups[i]);
        i += 1;
    }
}

/// An IPv4 address in dotted-decimal without leading zeros (what `Ipv4Addr`'s parser
/// accepts), or `None`: one pass over the bytes.
#[inline]
fn parse_ipv4(text: &[u8]) -> Option<std::net::Ipv4Addr> {
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
    (i == text.len()).then_some(std::net::Ipv4Addr::from(octets))
}

fn lookup(
    snap: &Snapshot,
    ips: &[String],
    file: Option<std::path::PathBuf>,
    format: Output,
    out: &mut impl Write,
) -> Result<u8, Fail> {
    if let Some(i) = ips.iter().position(|ip| ip.trim().is_empty()) {
        return Err(input(format!(
            "argument {} is empty: expected an IPv4 or IPv6 address",
            i + 1
        )));
    }
    if ips.is_empty() && file.is_none() {
        return Err(input(
            "lookup needs IP addresses, `-` for standard input, or --file F",
        ));
    }
    let mut lookup = Lookup {
        snap,
        format,
        out,
        pending: Vec::with_capacity(1 << 17),
        unmatched: false,
        bad: 0,
    };
    if let Some(path) = &file {
        let f = std::fs::File::open(path).map_err(|e| input(format!("{}: {e}", path.display())))?;
        lookup.stream(f, &path.display().to_string())?;
    }
    for arg in ips {
        if arg == "-" {
            lookup.stream(io::stdin().lock(), "stdin")?;
        } else {
            lookup.line(arg.as_bytes(), || "argument".to_string());
        }
    }
    lookup.flush();
    if lookup.bad > 0 {
        return Err(input(format!(
            "{} input(s) were not IP addresses",
            lookup.bad
        )));
    }
    Ok(u8::from(lookup.unmatched))
}

fn check(
    snap: &Snapshot,
    service: &str,
    ip: &str,
    format: Output,
    out: &mut impl Write,
) -> Result<u8, Fail> {
    let ip: IpAddr = ip
        .trim()
        .parse()
        .map_err(|_| input(format!("{ip:?} is not an IPv4 or IPv6 address")))?;
    let service = snap
        .find_service(service)
        .map_err(|e| input(e.to_string()))?;
    let hit = snap.service_match(ip, service);
    match format {
        Output::Json => emit_json(
            out,
            &CheckView {
                ip: ip.to_string(),
                service,
                owned: hit.is_some(),
                tag: hit.map(|h| h.tag().name()),
                region: hit.and_then(|h| h.region()).map(|r| r.name()),
            },
        ),
        Output::Table => match hit {
            Some(h) => {
                let where_ = h
                    .region()
                    .map_or(String::new(), |r| format!(" in {}", r.name()));
                let _ = writeln!(out, "{ip} belongs to {service}{where_} ({})", h.tag());
            }
            None => {
                let _ = writeln!(out, "{ip} does not belong to {service}");
            }
        },
    }
    Ok(if hit.is_some() { 0 } else { 1 })
}

fn tag(
    snap: &Snapshot,
    name: &str,
    ipv4: bool,
    ipv6: bool,
    aggregate: bool,
    format: Output,
    out: &mut impl Write,
) -> Result<u8, Fail> {
    let t = snap.find_tag(name).map_err(|e| input(e.to_string()))?;
    let mut nets: Vec<IpNet> = t
        .prefixes()
        .filter(|n| match n {
            IpNet::V4(_) => !ipv6,
            IpNet::V6(_) => !ipv4,
        })
        .collect();
    if aggregate {
        nets = IpNet::aggregate(&nets);
    }
    match format {
        Output::Json if !(ipv4 || ipv6 || aggregate) => emit_json(out, &t),
        Output::Json => {
            // The tag as it serializes, with the prefixes selected.
            let mut v = serde_json::to_value(t).map_err(|e| input(e.to_string()))?;
            v["addressPrefixes"] = nets.iter().map(|n| n.to_string()).collect();
            emit_json(out, &v);
        }
        Output::Table => {
            for n in &nets {
                let _ = writeln!(out, "{n}");
            }
        }
    }
    Ok(0)
}

fn tags(
    snap: &Snapshot,
    service: Option<String>,
    region: Option<String>,
    format: Output,
    out: &mut impl Write,
) -> Result<u8, Fail> {
    let filter = TagFilter {
        service: service.as_deref(),
        region: region.as_deref(),
    };
    let selected: Vec<Tag<'_>> = snap
        .select(&filter)
        .map_err(|e| input(e.to_string()))?
        .collect();
    match format {
        Output::Json => {
            let views: Vec<TagCounts<'_>> = selected
                .iter()
                .map(|t| TagCounts {
                    name: t.name(),
                    service: t.service(),
                    region: t.region().map(|r| r.name()),
                    ipv4: t.ipv4().len(),
                    ipv6: t.ipv6().len(),
                    udr: t.network_features().contains("UDR"),
                })
                .collect();
            emit_json(out, &views);
        }
        Output::Table => {
            for t in &selected {
                let _ = writeln!(
                    out,
                    "{:<50} {:<20} {:>6} IPv4 {:>6} IPv6",
                    t.name(),
                    t.region().map_or("-", |r| r.name()),
                    t.ipv4().len(),
                    t.ipv6().len()
                );
            }
        }
    }
    Ok(if selected.is_empty() { 1 } else { 0 })
}

fn region(snap: &Snapshot, name: &str, format: Output, out: &mut impl Write) -> Result<u8, Fail> {
    let r = snap.find_region(name).map_err(|e| input(e.to_string()))?;
    match format {
        Output::Json => emit_json(out, &r),
        Output::Table => {
            let _ = writeln!(
                out,
                "name:         {}\ndisplay name: {}\ncode:         {}\nregionId:     {}\ngeography:    {}\npaired:       {}",
                r.name(),
                r.display_name().unwrap_or("-"),
                r.code().unwrap_or("-"),
                r.region_id().map_or("-".to_string(), |v| v.to_string()),
                r.geography().unwrap_or("-"),
                r.paired().map_or("none", |p| p.name()),
            );
        }
    }
    Ok(0)
}

fn info(snap: &Snapshot, format: Output, out: &mut impl Write) -> Result<u8, Fail> {
    let today = Date::today().days_since_epoch();
    let age = snap.published().map(|p| today - p.days_since_epoch());
    let (ipv4, ipv6) = snap.prefix_counts();
    if let Some(age) = age.filter(|&a| a > 30) {
        eprintln!(
            "aztags: warning: the snapshot is {age} days old; Azure's IPs change weekly, so \
             answers may be out of date (refresh the data or use a newer release)"
        );
    }
    match format {
        Output::Json => emit_json(
            out,
            &InfoView {
                cloud: snap.cloud(),
                change_number: snap.change_number(),
                source: snap.source().file_name(),
                sha256: snap.source().sha256(),
                published: snap.published(),
                age_days: age,
                tags: snap.tags().len(),
                regions: snap.regions().len(),
                ipv4_prefixes: ipv4,
                ipv6_prefixes: ipv6,
            },
        ),
        Output::Table => {
            let _ = writeln!(
                out,
                "cloud:         {}\nchangeNumber:  {}\nsource:        {}\nsha256:        {}\npublished:     {}\nage:           {}\ntags:          {}\nregions:       {}\nprefixes:      {ipv4} IPv4 + {ipv6} IPv6",
                snap.cloud(),
                snap.change_number(),
                snap.source().file_name(),
                snap.source().sha256(),
                snap.published().map_or("unknown".to_string(), |d| d.to_string()),
                age.map_or("unknown".to_string(), |a| format!("{a} days")),
                snap.tags().len(),
                snap.regions().len(),
            );
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::{parse_ipv4, write_ipv6};

    /// The IPv6 writer writes what `Display` writes.
    #[test]
    fn ipv6_is_written_as_display_writes_it() {
        let mut cases: Vec<std::net::Ipv6Addr> = [
            "::",
            "::1",
            "1::",
            "2603:1030:40b::1",
            "1:0:0:1:0:0:0:1",
            "1:0:0:0:1:0:0:1",
            "0:0:1:0:0:1:0:0",
            "1:2:3:4:5:6:7:8",
            "1:0:2:3:4:5:6:7",
            "fe80::abcd:0:0:1",
            "::1:0:0:0:0:0:0",
            "0:1::",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..50_000 {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            let r = u128::from(x.wrapping_mul(0x2545_f491_4f6c_dd1d));
            // Zero some groups so that runs of zeros are common.
            let mask = (0..8).fold(0u128, |m, i| {
                if (r >> (64 + i)) & 1 == 1 {
                    m | 0xffff << (16 * i)
                } else {
                    m
                }
            });
            cases.push(std::net::Ipv6Addr::from((r | r << 64) & mask));
        }
        for ip in cases.into_iter().filter(|ip| ip.to_ipv4_mapped().is_none()) {
            let mut out = Vec::new();
            write_ipv6(&mut out, ip);
            assert_eq!(String::from_utf8(out).unwrap(), ip.to_string());
        }
    }

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
}
