//! The weekly data release, end to end: the release (`release.rs`) on a clean
//! checkout, one commit on the release branch, the checks on that committed tree, a
//! forced push, and one pull request whose body is the release notes, opened when none
//! is open and updated when one is (so an unmerged week is replaced by the newer one,
//! never duplicated). The git remote and GitHub are reached through `git` and `gh` on
//! `PATH`, so tests give it a local bare repository and a stand-in `gh`.
//!
//! Outcomes: nothing new (exit 0, nothing pushed); released (exit 0); a refused file or
//! bad input (exit 2: no branch, no push); failed checks (exit 1: no push). With
//! `--report-failures`, a failure also opens an issue labelled `data-release` (or
//! comments on the open one), so a failing week is never silent.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::files::{self, root};
use crate::release::{self, Outcome};
use crate::{ReleaseArgs, WeeklyArgs};

/// The label of the issues that report failed weekly runs.
const FAILURE_LABEL: &str = "data-release";

/// A failure and the exit code it gives.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
}

fn refused(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

/// Runs the weekly release as `args` asks; on failure, reports it when asked to.
pub(crate) fn run(args: &WeeklyArgs) -> Result<(), Failure> {
    let result = release_and_propose(args);
    if let (Err(failure), true) = (&result, args.report_failures) {
        if let Err(e) = report_failure(&failure.message) {
            eprintln!("xtask: the failure could not be reported as an issue: {e}");
        }
    }
    result
}

fn release_and_propose(args: &WeeklyArgs) -> Result<(), Failure> {
    let git = Tool::new("git");
    let base = clean_base(&git, args.base.as_deref())?;
    if base == args.branch {
        return Err(refused(format!(
            "the checkout is on the release branch {base}: check out the branch the release \
             goes into (or pass --base), as every week starts from it"
        )));
    }
    git.run(&["checkout", "--quiet", &base]).map_err(refused)?;
    let notes = root().join("target/release-notes.md");
    let version = match release::run(&release_args(&args.release, &notes)) {
        Ok(Outcome::Nothing) => return Ok(()),
        Ok(Outcome::Released { version }) => version,
        Err(e) => return Err(refused(e)),
    };
    let title = format!("Data release {version}");
    let branch = args.branch.as_str();
    git.run(&["checkout", "-B", branch]).map_err(refused)?;
    git.run(&["add", "-A"]).map_err(refused)?;
    git.run(&["commit", "--quiet", "-m", &title])
        .map_err(refused)?;
    let open = open_pull_request(branch).map_err(refused)?;
    if let Some(number) = &open {
        if same_data_as_remote(&git, &args.remote, branch)? {
            println!(
                "nothing to release: pull request #{number} already holds these snapshots; \
                 nothing was pushed"
            );
            git.run(&["checkout", "--quiet", &base]).map_err(refused)?;
            return Ok(());
        }
    }
    run_checks(&args.checks)?;
    let refspec = format!("HEAD:refs/heads/{branch}");
    git.run(&["push", "--force", &args.remote, &refspec])
        .map_err(refused)?;
    propose(open.as_deref(), (&base, branch), &title, &notes).map_err(refused)?;
    // Back on the base, as the next week starts from it.
    git.run(&["checkout", "--quiet", &base]).map_err(refused)
}

/// The branch checked out, or `base` when given; an error when the tree is not clean.
fn clean_base(git: &Tool, base: Option<&str>) -> Result<String, Failure> {
    let status = git.output(&["status", "--porcelain"]).map_err(refused)?;
    if !status.trim().is_empty() {
        return Err(refused(format!(
            "the checkout has uncommitted changes, and the weekly release commits every \
             change it makes: start from a clean tree\n{status}"
        )));
    }
    match base {
        Some(b) => Ok(b.to_string()),
        None => Ok(git
            .output(&["rev-parse", "--abbrev-ref", "HEAD"])
            .map_err(refused)?
            .trim()
            .to_string()),
    }
}

/// Updates the open pull request `open`, or opens one from `branch` into `base`.
fn propose(
    open: Option<&str>,
    (base, branch): (&str, &str),
    title: &str,
    notes: &Path,
) -> Result<(), String> {
    let gh = Tool::new("gh");
    let body = notes.display().to_string();
    match open {
        Some(number) => {
            gh.run(&["pr", "edit", number, "--title", title, "--body-file", &body])?;
            println!("pull request #{number} updated: {title}");
        }
        None => {
            let url = gh.output(&[
                "pr",
                "create",
                "--base",
                base,
                "--head",
                branch,
                "--title",
                title,
                "--body-file",
                &body,
            ])?;
            println!("pull request opened: {}", url.trim());
        }
    }
    Ok(())
}

/// The release's own arguments: no tests of its own (the checks run on the committed
/// tree), and the notes written where the pull request body is read from.
fn release_args(args: &ReleaseArgs, notes: &Path) -> ReleaseArgs {
    ReleaseArgs {
        no_test: true,
        notes: Some(notes.to_path_buf()),
        ..args.clone()
    }
}

/// The number of the open pull request from `branch`, if there is one.
fn open_pull_request(branch: &str) -> Result<Option<String>, String> {
    first_open("pr", ["--head", branch])
}

/// The number of the first open `kind` (`pr`, `issue`) that `filter` selects.
fn first_open(kind: &str, filter: [&str; 2]) -> Result<Option<String>, String> {
    let [key, value] = filter;
    let out = Tool::new("gh").output(&[
        kind,
        "list",
        key,
        value,
        "--state",
        "open",
        "--json",
        "number",
        "--jq",
        ".[].number",
    ])?;
    Ok(out.split_whitespace().next().map(str::to_string))
}

/// Whether the remote's `branch` holds the same `data/` as HEAD.
fn same_data_as_remote(git: &Tool, remote: &str, branch: &str) -> Result<bool, Failure> {
    git.run(&["fetch", "--quiet", remote, branch])
        .map_err(refused)?;
    Ok(git.status(&["diff", "--quiet", "FETCH_HEAD", "HEAD", "--", "data"]))
}

/// Each check, in the repository root, on the committed release; the first that fails
/// stops the release before anything is pushed.
fn run_checks(checks: &[String]) -> Result<(), Failure> {
    for check in checks {
        println!("check: {check}");
        let status = Command::new("sh")
            .args(["-c", check])
            .current_dir(root())
            .status()
            .map_err(|e| refused(format!("sh -c {check:?}: {e}")))?;
        if !status.success() {
            return Err(Failure {
                code: 1,
                message: format!(
                    "the check `{check}` failed on the release commit ({status}); nothing was \
                     pushed"
                ),
            });
        }
    }
    Ok(())
}

/// Opens an issue labelled [`FAILURE_LABEL`] with `message`, or comments on the open one.
fn report_failure(message: &str) -> Result<(), String> {
    let gh = Tool::new("gh");
    let run = match (
        std::env::var("GITHUB_SERVER_URL"),
        std::env::var("GITHUB_REPOSITORY"),
        std::env::var("GITHUB_RUN_ID"),
    ) {
        (Ok(server), Ok(repo), Ok(id)) => format!("\n\nThe run: {server}/{repo}/actions/runs/{id}"),
        _ => String::new(),
    };
    let body = format!(
        "The weekly data release failed:\n\n```text\n{message}\n```{run}\n\nWhat to do: \
         docs/maintainers.md, \"When the weekly release fails\"."
    );
    let file: PathBuf = root().join("target/release-failure.md");
    files::make_parent(&file)?;
    files::replace(&[(file.clone(), body)])?;
    let file = file.display().to_string();
    let open = first_open("issue", ["--label", FAILURE_LABEL])?;
    match open {
        Some(number) => gh.run(&["issue", "comment", &number, "--body-file", &file]),
        None => {
            gh.run(&[
                "label",
                "create",
                FAILURE_LABEL,
                "--force",
                "--color",
                "B60205",
                "--description",
                "The weekly data release failed",
            ])?;
            gh.run(&[
                "issue",
                "create",
                "--title",
                "The weekly data release failed",
                "--label",
                FAILURE_LABEL,
                "--body-file",
                &file,
            ])
        }
    }
}

/// A command-line tool run in the repository root.
struct Tool {
    program: &'static str,
}

impl Tool {
    fn new(program: &'static str) -> Self {
        Tool { program }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(self.program);
        c.args(args).current_dir(root());
        c
    }

    /// Standard output of a run that must succeed; the error quotes its stderr.
    fn output(&self, args: &[&str]) -> Result<String, String> {
        let shown = format!("{} {}", self.program, args.join(" "));
        let out = self
            .command(args)
            .output()
            .map_err(|e| format!("{shown}: {e}"))?;
        if out.status.success() {
            String::from_utf8(out.stdout).map_err(|e| format!("{shown}: {e}"))
        } else {
            Err(format!(
                "{shown} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    /// A run that must succeed, its output passed through.
    fn run(&self, args: &[&str]) -> Result<(), String> {
        let shown = format!("{} {}", self.program, args.join(" "));
        let status = self
            .command(args)
            .status()
            .map_err(|e| format!("{shown}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{shown} failed ({status})"))
        }
    }

    /// Whether a run succeeds (for questions such as `git diff --quiet`).
    fn status(&self, args: &[&str]) -> bool {
        self.command(args).status().is_ok_and(|s| s.success())
    }
}
