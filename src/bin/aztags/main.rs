//! `aztags`: Azure service tags, regions and UDRs from the command line.
//!
//! Exit codes: 0 success, 1 not found / not owned, 2 usage or input error (with a
//! message on stderr naming the bad input).

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// No function over 80 lines (clippy.toml) outside tests.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]

use std::io::{self, BufWriter, Write};
use std::net::IpAddr;
use std::process::ExitCode;
use std::str::FromStr;

use azure_service_tags::diff::diff;
use azure_service_tags::render::{Format, RenderError, Target, render, render_changes};
use azure_service_tags::route::{
    DEFAULT_MAX_ROUTES, Families, Mode, NextHop, NextHopError, RouteError, RouteRequest, plan,
};
use azure_service_tags::{
    AddressError, Cloud, Date, NamedError, STALE_AFTER_DAYS, Snapshot, Tag, TagFilter,
    parse_ip_trimmed, snapshot_of,
};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};
use ipnet::IpNet;
use serde::Serialize;

mod lookup;
use lookup::Lookup;

/// Azure service tags, regions and user-defined routes, from a pinned snapshot.
#[derive(Parser, Debug)]
#[command(name = "aztags", version, about, long_about = None)]
struct Cli {
    /// The cloud whose snapshot to use (default: public). With --snapshot, the cloud
    /// the file must be of.
    #[arg(long, global = true, value_parser = parse_cloud)]
    cloud: Option<Cloud>,
    /// Use this snapshot instead of the compiled-in one: an official JSON file, or a
    /// directory in the data/ format.
    #[arg(long, global = true, value_name = "FILE")]
    snapshot: Option<String>,
    /// Do not warn when the snapshot is older than 30 days.
    #[arg(long, global = true)]
    no_age_warning: bool,
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
        #[command(flatten)]
        filter: FilterArgs,
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
    Routes(RoutesArgs),
    /// What changed between two snapshots (each `embedded`, `current`, an official JSON
    /// file, or a data/ directory).
    Diff {
        /// The older snapshot.
        old: String,
        /// The newer snapshot (default: the one in use).
        #[arg(default_value = "current")]
        new: String,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, value_enum, default_value = "table")]
        format: Output,
    },
    /// The snapshot's provenance, counts and age.
    Info {
        #[arg(long, value_enum, default_value = "table")]
        format: Output,
    },
    /// Write the snapshot's address index file (the Spark jar reads it; format in
    /// docs/spark.md), replacing OUT atomically.
    ExportIndex {
        /// The file to write.
        out: std::path::PathBuf,
        /// The format version to write: the newest by default, 1 for readers (jars)
        /// that predate it.
        #[arg(long)]
        format_version: Option<u16>,
    },
}

/// The arguments of `routes`.
#[derive(clap::Args, Debug)]
struct RoutesArgs {
    #[arg(long, default_value = "AzureMachineLearning")]
    service: String,
    #[arg(long)]
    region: String,
    /// Do not add the paired region's routes.
    #[arg(long)]
    no_paired: bool,
    #[arg(long, default_value = "prefixes",
          value_parser = named::<Mode>(Mode::ALL.map(|m| (m.name(), m.description()))))]
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
    #[arg(long, ignore_case = true, default_value = "table",
          value_parser = named::<Format>(Format::ALL.iter().map(|f| (f.name(), f.description()))))]
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
}

/// `--service` and `--region`: which tags a command looks at.
#[derive(clap::Args, Debug)]
struct FilterArgs {
    /// Only tags of this service (its global and regional tags).
    #[arg(long)]
    service: Option<String>,
    /// Only tags scoped to this region, in any spelling.
    #[arg(long)]
    region: Option<String>,
}

impl FilterArgs {
    fn filter(&self) -> TagFilter<'_> {
        TagFilter {
            service: self.service.as_deref(),
            region: self.region.as_deref(),
        }
    }
}

/// The parser of an argument that takes one of a library type's names: clap lists the
/// names and their descriptions in the help and checks them, the type's `FromStr` makes
/// the value.
fn named<T>(
    values: impl IntoIterator<Item = (&'static str, &'static str)>,
) -> impl TypedValueParser<Value = T>
where
    T: FromStr + Clone + Send + Sync + 'static,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let values = values
        .into_iter()
        .map(|(name, help)| PossibleValue::new(name).help(help));
    PossibleValuesParser::new(values).try_map(|name| name.parse::<T>())
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
    let result = open_snapshot(&cli).and_then(|snap| {
        let cloud = cli.cloud.unwrap_or(snap.cloud());
        if !cli.no_age_warning && !matches!(cli.command, Command::Diff { .. }) {
            warn_if_stale(snap);
        }
        run(snap, cloud, cli.command)
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fail(code, msg)) => {
            eprintln!("aztags: {msg}");
            ExitCode::from(code)
        }
    }
}

/// The snapshot the command answers from: `--snapshot`'s (of the `--cloud` given, if
/// one is), else the compiled-in one of `--cloud`.
fn open_snapshot(cli: &Cli) -> Result<&'static Snapshot, Fail> {
    let Some(spec) = cli.snapshot.as_deref() else {
        return load_snapshot("embedded", cli.cloud.unwrap_or_default(), None);
    };
    let snap = load_snapshot(spec, cli.cloud.unwrap_or_default(), None)?;
    match cli.cloud {
        Some(cloud) if cloud != snap.cloud() => Err(input(format!(
            "{spec} holds the {} snapshot, not the {} one that --cloud {} asks for: leave \
             --cloud out, or pass a file of that cloud",
            snap.cloud(),
            cloud,
            cloud.short_name()
        ))),
        _ => Ok(snap),
    }
}

/// A warning on stderr when the snapshot is older than the crate calls fresh.
fn warn_if_stale(snap: &Snapshot) {
    let today = Date::today();
    if let (Some(age), Some(published)) = (snap.age_days(today), snap.published())
        && age > STALE_AFTER_DAYS
    {
        eprintln!(
            "aztags: warning: the {} snapshot was published {published}, {age} days ago, \
                 and Azure's IPs change weekly: use a newer release, or --snapshot with a \
                 current file (--no-age-warning silences this)",
            snap.cloud()
        );
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
    // A cloud's name or a path, as every tool of the crate reads it; kept for the run.
    let snap = Snapshot::named(spec).map_err(|e| match e {
        NamedError::NotCompiledIn(cloud) => {
            input(format!("{e}; or pass --snapshot FILE for {cloud}"))
        }
        e => input(e.to_string()),
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
        Command::Tags { filter, format } => tags(snap, &filter.filter(), format, &mut out)?,
        Command::Region { name, format } => region(snap, &name, format, &mut out)?,
        Command::Routes(args) => routes(snap, cloud, args, &mut out)?,
        Command::Info { format } => info(snap, format, &mut out)?,
        Command::ExportIndex {
            out: path,
            format_version,
        } => {
            use azure_service_tags::index_file::{FORMAT_VERSION, to_bytes_in, write_bytes};
            let version = format_version.unwrap_or(FORMAT_VERSION);
            let bytes = to_bytes_in(snap, version).ok_or_else(|| {
                input(format!(
                    "--format-version {version}: this aztags writes 1 to {FORMAT_VERSION}"
                ))
            })?;
            write_bytes(&bytes, &path).map_err(|e| input(e.to_string()))?;
            let _ = writeln!(
                out,
                "{}: the index of {}",
                path.display(),
                snap.provenance()
            );
            0
        }
        Command::Diff {
            old,
            new,
            filter,
            format,
        } => diff_snapshots(snap, cloud, (&old, &new), &filter, format, &mut out)?,
    };
    out.flush()
        .map_err(|e| input(format!("cannot write output: {e}")))?;
    Ok(code)
}

/// The route request that `routes`' arguments describe.
fn route_request(a: &RoutesArgs) -> Result<RouteRequest<'_>, Fail> {
    let families = match (a.ipv6, a.all_families) {
        (true, _) => Families::Ipv6,
        (_, true) => Families::Both,
        _ => Families::Ipv4,
    };
    let next_hop = NextHop::parse(&a.next_hop_type, a.next_hop_ip).map_err(|e| match e {
        NextHopError::MissingIp => input(format!("{e} (--next-hop-ip)")),
        e => input(e.to_string()),
    })?;
    Ok(RouteRequest::new(&a.service, &a.region)
        .paired(!a.no_paired)
        .mode(a.mode)
        .families(families)
        .next_hop(next_hop)
        .max_routes(a.max_routes)
        .summarize(a.summarize))
}

/// `routes`: the plan rendered, or with `--since` what changes a table made from the
/// older snapshot.
fn routes(
    snap: &'static Snapshot,
    cloud: Cloud,
    a: RoutesArgs,
    out: &mut impl Write,
) -> Result<u8, Fail> {
    let req = route_request(&a)?;
    let p = plan(snap, &req).map_err(|e| input(route_advice(&e)))?;
    let target = Target {
        resource_group: a.resource_group.clone(),
        route_table: a.route_table.clone(),
        whole_table: a.whole_table,
    };
    let text = match &a.since {
        Some(since) => {
            let old_snap = load_snapshot(since, cloud, Some(snap))?;
            let old = plan(old_snap, &req)
                .map_err(|e| input(format!("in {since}: {}", route_advice(&e))))?;
            render_changes(&old, &p, a.format, &target).map_err(|e| match e {
                RenderError::NoChangeScript(f) => input(format!(
                    "--since renders as az-cli, powershell or json, not {}",
                    f.name()
                )),
                e => input(e.to_string()),
            })?
        }
        None => render(&p, a.format, &target),
    };
    let _ = out.write_all(text.as_bytes());
    Ok(0)
}

/// `diff`: the change report between two snapshots; 1 when they differ.
fn diff_snapshots(
    snap: &'static Snapshot,
    cloud: Cloud,
    (old, new): (&str, &str),
    filter: &FilterArgs,
    format: Output,
    out: &mut impl Write,
) -> Result<u8, Fail> {
    let old = load_snapshot(old, cloud, Some(snap))?;
    let new = load_snapshot(new, cloud, Some(snap))?;
    let report = diff(old, new, &filter.filter()).map_err(|e| input(e.to_string()))?;
    let text = match format {
        Output::Json => report.to_json(),
        Output::Table => report.to_text(),
    };
    let _ = out.write_all(text.as_bytes());
    Ok(u8::from(!report.is_empty()))
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
    let mut lookup = Lookup::new(snap, format, out);
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
    lookup.report_errors();
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
    let ip =
        parse_ip_trimmed(ip.as_bytes()).ok_or_else(|| input(AddressError::of(ip).to_string()))?;
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
    filter: &TagFilter<'_>,
    format: Output,
    out: &mut impl Write,
) -> Result<u8, Fail> {
    let selected: Vec<Tag<'_>> = snap
        .select(filter)
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
                match (r.paired(), r.pair_known()) {
                    (Some(p), _) => p.name(),
                    (None, true) => "none",
                    (None, false) => "unknown (the region table does not know it)",
                },
            );
        }
    }
    Ok(0)
}

fn info(snap: &Snapshot, format: Output, out: &mut impl Write) -> Result<u8, Fail> {
    let s = snap.summary(Date::today());
    match format {
        Output::Json => emit_json(out, &s),
        Output::Table => {
            let _ = writeln!(
                out,
                "cloud:         {}\nchangeNumber:  {}\nsource:        {}\nsha256:        {}\npublished:     {}\nage:           {}\ntags:          {}\nregions:       {}\nprefixes:      {} IPv4 + {} IPv6",
                s.provenance.cloud,
                s.provenance.change_number,
                s.provenance.source,
                s.sha256,
                s.provenance
                    .published
                    .map_or("unknown".to_string(), |d| d.to_string()),
                s.age_days
                    .map_or("unknown".to_string(), |a| format!("{a} days")),
                s.tags,
                s.regions,
                s.ipv4_prefixes,
                s.ipv6_prefixes,
            );
        }
    }
    Ok(0)
}
