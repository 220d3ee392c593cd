//! `aztags`: Azure service tags, regions and UDRs from the command line.
//!
//! Exit codes: 0 success, 1 not found / not owned, 2 usage or input error (with a
//! message on stderr naming the bad input).

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{self, BufRead, BufWriter, Write};
use std::net::IpAddr;
use std::process::ExitCode;

use azure_service_tags::diff::{diff, Filter};
use azure_service_tags::render::{render, render_changes, Format, Target};
use azure_service_tags::route::{
    closest, plan, resolve_service, Families, Mode, NextHop, RouteRequest, DEFAULT_MAX_ROUTES,
};
use azure_service_tags::{snapshot_of, Cloud, Date, Region, Snapshot, Tag};
use clap::{Parser, Subcommand, ValueEnum};
use ipnet::IpNet;
use serde_json::{json, Value};

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
        #[arg(long, default_value = "prefixes", value_parser = ["prefixes", "service-tag"])]
        mode: String,
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
        /// table, az-cli, powershell, arm, bicep, terraform, json or csv.
        #[arg(long, default_value = "table")]
        format: String,
        #[arg(short = 'g', long, default_value = "my-resource-group")]
        resource_group: String,
        #[arg(long, default_value = "my-route-table")]
        route_table: String,
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
    let path = std::path::Path::new(spec);
    let snap = if path.is_dir() {
        Snapshot::from_data_dir(path)
    } else {
        Snapshot::from_path(path)
    }
    .map_err(|e| input(format!("{spec}: {e}")))?;
    Ok(Box::leak(Box::new(snap)))
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
            since,
        } => {
            let mut req = RouteRequest::new(&region);
            req.service = &service;
            req.include_paired = !no_paired;
            req.mode = mode.parse::<Mode>().map_err(|e| input(e.to_string()))?;
            req.families = match (ipv6, all_families) {
                (true, _) => Families::Ipv6,
                (_, true) => Families::Both,
                _ => Families::Ipv4,
            };
            req.next_hop =
                NextHop::parse(&next_hop_type, next_hop_ip).map_err(|e| input(e.to_string()))?;
            req.max_routes = max_routes;
            req.summarize = summarize;
            let format: Format = format
                .parse()
                .map_err(|e: azure_service_tags::route::RouteError| input(e.to_string()))?;
            let p = plan(snap, &req).map_err(|e| input(e.to_string()))?;
            let target = Target {
                resource_group,
                route_table,
            };
            let text = match since {
                Some(since) => {
                    let old_snap = load_snapshot(&since, cloud, Some(snap))?;
                    let old =
                        plan(old_snap, &req).map_err(|e| input(format!("in {since}: {e}")))?;
                    render_changes(&old, &p, format, &target).map_err(|e| input(e.to_string()))?
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
            let filter = Filter {
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

/// Writes one JSON value on a line of its own.
fn emit_json(out: &mut (impl Write + ?Sized), value: &Value) {
    let _ = writeln!(out, "{value}");
}

fn tag_json(t: Tag<'_>) -> Value {
    json!({"name": t.name(), "service": t.service(), "region": t.region().map(|r| r.name())})
}

fn lookup(
    snap: &Snapshot,
    ips: &[String],
    file: Option<std::path::PathBuf>,
    format: Output,
    out: &mut dyn Write,
) -> Result<u8, Fail> {
    let mut unmatched = false;
    let mut bad = 0usize;
    let mut one = |text: &str, origin: &dyn Fn() -> String, out: &mut dyn Write| {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let Ok(ip) = text.parse::<IpAddr>() else {
            eprintln!(
                "aztags: {}: {text:?} is not an IPv4 or IPv6 address",
                origin()
            );
            bad += 1;
            return;
        };
        let found = snap.tags_containing(ip);
        unmatched |= found.len() == 0;
        match format {
            Output::Json => {
                let tags: Vec<Value> = found.map(tag_json).collect();
                emit_json(out, &json!({"ip": ip.to_string(), "tags": tags}));
            }
            Output::Table => {
                let _ = write!(out, "{ip}\t");
                if found.len() == 0 {
                    let _ = out.write_all(b"-");
                }
                for (i, t) in found.enumerate() {
                    if i > 0 {
                        let _ = out.write_all(b",");
                    }
                    let _ = out.write_all(t.name().as_bytes());
                }
                let _ = out.write_all(b"\n");
            }
        }
    };
    if ips.is_empty() && file.is_none() {
        return Err(input(
            "lookup needs IP addresses, `-` for standard input, or --file F",
        ));
    }
    if let Some(path) = &file {
        let f = std::fs::File::open(path).map_err(|e| input(format!("{}: {e}", path.display())))?;
        stream(
            &mut io::BufReader::with_capacity(1 << 16, f),
            &path.display().to_string(),
            out,
            &mut one,
        )?;
    }
    for arg in ips {
        if arg == "-" {
            stream(&mut io::stdin().lock(), "stdin", out, &mut one)?;
        } else {
            one(arg, &|| "argument".to_string(), out);
        }
    }
    if bad > 0 {
        return Err(input(format!("{bad} input(s) were not IP addresses")));
    }
    Ok(u8::from(unmatched))
}

/// Handles one input line: the text, where it came from (for errors), the output.
type LineHandler<'h> = dyn FnMut(&str, &dyn Fn() -> String, &mut dyn Write) + 'h;

/// Feeds each line of `reader` to `one`, streaming. A UTF-8 BOM on the first line is
/// skipped; a line that is not UTF-8 is reported (with its number) and skipped.
fn stream(
    reader: &mut dyn BufRead,
    name: &str,
    out: &mut dyn Write,
    one: &mut LineHandler<'_>,
) -> Result<(), Fail> {
    let mut line = Vec::new();
    let mut n = 0usize;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {
                n += 1;
                let bytes = if n == 1 {
                    line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&line)
                } else {
                    &line
                };
                match std::str::from_utf8(bytes) {
                    Ok(text) => one(text, &|| format!("{name}:{n}"), out),
                    Err(_) => one("\u{fffd}(not UTF-8)", &|| format!("{name}:{n}"), out),
                }
            }
            Err(e) => return Err(input(format!("{name}: cannot read line {}: {e}", n + 1))),
        }
    }
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
    let service = resolve_service(snap, service).map_err(|e| input(e.to_string()))?;
    let hit = snap.service_match(ip, service);
    match format {
        Output::Json => {
            emit_json(
                out,
                &json!({
                    "ip": ip.to_string(), "service": service, "owned": hit.is_some(),
                    "tag": hit.map(|h| h.tag().name()), "region": hit.and_then(|h| h.region()).map(|r| r.name()),
                }),
            );
        }
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

fn find_tag<'a>(snap: &'a Snapshot, name: &str) -> Result<Tag<'a>, Fail> {
    snap.tag(name).ok_or_else(|| {
        let near = closest(name, snap.tags().map(|t| t.name()));
        input(format!(
            "unknown tag {name:?}; closest known: {}",
            near.join(", ")
        ))
    })
}

fn find_region<'a>(snap: &'a Snapshot, name: &str) -> Result<Region<'a>, Fail> {
    snap.region(name).ok_or_else(|| {
        let near = closest(name, snap.regions().map(|r| r.name()));
        input(format!(
            "unknown region {name:?}; closest known: {}",
            near.join(", ")
        ))
    })
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
    let t = find_tag(snap, name)?;
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
        Output::Json => {
            let mut v = serde_json::to_value(t).map_err(|e| input(e.to_string()))?;
            v["addressPrefixes"] = json!(nets.iter().map(|n| n.to_string()).collect::<Vec<_>>());
            let _ = writeln!(out, "{v}");
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
    let region = region.map(|r| find_region(snap, &r)).transpose()?;
    let selected: Vec<Tag<'_>> = snap
        .tags()
        .filter(|t| {
            service
                .as_ref()
                .is_none_or(|s| t.service().eq_ignore_ascii_case(s))
        })
        .filter(|t| region.is_none_or(|r| t.region() == Some(r)))
        .collect();
    match format {
        Output::Json => {
            let v: Vec<Value> = selected
                .iter()
                .map(|t| {
                    json!({"name": t.name(), "service": t.service(), "region": t.region().map(|r| r.name()),
                           "ipv4": t.ipv4().len(), "ipv6": t.ipv6().len(),
                           "udr": t.network_features().contains("UDR")})
                })
                .collect();
            emit_json(out, &Value::Array(v));
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
    let r = find_region(snap, name)?;
    match format {
        Output::Json => {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_value(r).map_err(|e| input(e.to_string()))?
            );
        }
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
    let ipv4: usize = snap.tags().map(|t| t.ipv4().len()).sum();
    let ipv6: usize = snap.tags().map(|t| t.ipv6().len()).sum();
    if let Some(age) = age.filter(|&a| a > 30) {
        eprintln!(
            "aztags: warning: the snapshot is {age} days old; Azure's IPs change weekly, so \
             answers may be out of date (refresh the data or use a newer release)"
        );
    }
    match format {
        Output::Json => {
            emit_json(
                out,
                &json!({
                    "cloud": snap.cloud(), "changeNumber": snap.change_number(),
                    "source": snap.source().file_name(), "sha256": snap.source().sha256(),
                    "published": snap.published(), "ageDays": age,
                    "tags": snap.tags().len(), "regions": snap.regions().len(),
                    "ipv4Prefixes": ipv4, "ipv6Prefixes": ipv6,
                }),
            );
        }
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
