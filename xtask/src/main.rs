//! `cargo xtask`: the maintainers' tasks of azure-service-tags.
//!
//! ```text
//! cargo xtask release --from DIR        # a data release from saved official files
//! cargo xtask release --download        # the same from Microsoft's current files
//! cargo xtask weekly --download         # the release, committed, checked, pushed, PR'd
//! cargo xtask next-week --out DIR       # a synthetic next week, for rehearsals
//! cargo xtask docs [--check]            # the figures in the docs that come from data/
//! cargo xtask speed [--reuse]           # the README's speed table, from one bench run
//! ```
//!
//! A release refreshes each cloud's snapshot with the refresh guards, and only when one
//! changed: bumps the workspace's patch version (the crate and the Python package),
//! writes a CHANGELOG.md entry from the change reports, rewrites the golden renderings,
//! regenerates the docs' figures and runs the tests. Run again on the same files, it
//! changes nothing.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// No function over 80 lines (clippy.toml) outside tests.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod changelog;
mod docs;
mod files;
mod next_week;
mod release;
mod sources;
mod speed;
mod version;
mod weekly;

/// Maintainers' tasks of azure-service-tags.
#[derive(Parser, Debug)]
#[command(about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand, Debug)]
enum Task {
    /// A data release: refresh, version bump, CHANGELOG entry, goldens, docs, tests.
    Release(ReleaseArgs),
    /// The weekly job: a release on a clean checkout, committed on the release branch,
    /// checked, pushed, and proposed in one pull request (opened, or updated when open).
    Weekly(WeeklyArgs),
    /// Writes a synthetic next week of the Public snapshot in data/ (for rehearsing a
    /// release that changes the data): changeNumber + N, an AzureMachineLearning
    /// regional tag gaining and losing a prefix, a tag added and one removed, a
    /// networkFeatures flip, CRLF line endings.
    NextWeek {
        /// The directory to write ServiceTags_Public_YYYYMMDD.json into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// How many weeks after the pinned snapshot.
        #[arg(long, default_value_t = 1)]
        weeks: u32,
    },
    /// Regenerate the figures in the docs that come from data/ (between markers).
    Docs {
        /// Change nothing; fail when a figure differs from what data/ gives.
        #[arg(long)]
        check: bool,
    },
    /// Run the lookup benchmark and write the README's speed table (between markers)
    /// with the machine and the date.
    Speed {
        /// Read the last run's results instead of running the benchmark.
        #[arg(long)]
        reuse: bool,
    },
}

/// Where the new official files come from, and how far the guards may be relaxed.
#[derive(Args, Debug, Clone)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["from", "download"])))]
pub(crate) struct ReleaseArgs {
    /// A directory of official files: the newest ServiceTags_<Cloud>_YYYYMMDD.json of
    /// each cloud is used.
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
    /// Download each cloud's current file from Microsoft.
    #[arg(long)]
    download: bool,
    /// The clouds to release (default: all three).
    #[arg(long, value_delimiter = ',', value_name = "CLOUD,...")]
    clouds: Vec<String>,
    /// Accept a file that drops more than 10% of the prefixes or a protected tag.
    #[arg(long)]
    force: bool,
    /// Accept a file older (lower changeNumber) than the pinned snapshot.
    #[arg(long)]
    allow_downgrade: bool,
    /// Leave out the final `cargo test --all-features`.
    #[arg(long)]
    no_test: bool,
    /// Also write the CHANGELOG entry and the full change reports to this file (the
    /// weekly workflow's pull request body).
    #[arg(long, value_name = "FILE")]
    notes: Option<PathBuf>,
    /// With --download: a server laid out as Microsoft's pages and downloads, instead
    /// of Microsoft (http:// is allowed to a loopback address; tests and mirrors).
    #[arg(long, value_name = "URL", requires = "download")]
    mirror: Option<String>,
}

/// Where the weekly job pushes and proposes, and what it checks first.
#[derive(Args, Debug)]
pub(crate) struct WeeklyArgs {
    #[command(flatten)]
    release: ReleaseArgs,
    /// The release branch (one for every week: an open pull request is updated).
    #[arg(long, default_value = "data-release")]
    branch: String,
    /// The branch the pull request goes into (default: the one checked out).
    #[arg(long)]
    base: Option<String>,
    /// The git remote to push to.
    #[arg(long, default_value = "origin")]
    remote: String,
    /// A check run with `sh -c` on the committed release before anything is pushed
    /// (repeatable; default: the project's CI, `bash .ci/run`).
    #[arg(long = "check", value_name = "COMMAND", default_value = "bash .ci/run")]
    checks: Vec<String>,
    /// On failure, open an issue labelled data-release (or comment on the open one).
    #[arg(long)]
    report_failures: bool,
}

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Release(args) => release::run(&args).map(|_| ()),
        Task::Weekly(args) => {
            return match weekly::run(&args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(weekly::Failure { code, message }) => {
                    eprintln!("xtask: error: {message}");
                    ExitCode::from(code)
                }
            };
        }
        Task::NextWeek { out, weeks } => next_week::write(&out, weeks),
        Task::Docs { check } => docs::run(check),
        Task::Speed { reuse } => speed::run(reuse),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::from(2)
        }
    }
}
