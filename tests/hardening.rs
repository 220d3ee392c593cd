//! A refresh interrupted at each step, a full disk and a read-only `data/`: every one
//! fails with a clear error and leaves `data/` byte-for-byte as it was. Plus the odd
//! inputs of the bad-input table in TESTING.md that no other test covers.

use std::path::{Path, PathBuf};
use std::process::Command;

use azure_service_tags::Cloud;
use azure_service_tags::refresh::{RefreshOptions, refresh_from_bytes};

mod common;
use common::{edited_public, hash_tree, pinned_change_number, prefixes_mut, run_with_stdin, seed};

/// A plausible next week's file: the next changeNumber, one prefix fewer in AzureCloud.
fn next_week() -> Vec<u8> {
    edited_public(pinned_change_number() + 1, |v| {
        prefixes_mut(v, "AzureCloud").remove(0);
    })
    .into_bytes()
}

fn refresh(data: &Path) -> Result<(), String> {
    refresh_from_bytes(
        Cloud::Public,
        &next_week(),
        "ServiceTags_Public_20251111.json",
        data,
        &RefreshOptions::default(),
    )
    .map(|_| ())
    .map_err(|e| e.to_string())
}

#[test]
fn a_refresh_interrupted_at_each_step_changes_nothing() {
    let pid = std::process::id();
    // Step 1: a temporary file cannot be created (a directory is in its way).
    // Steps 2-5: each target in turn cannot be replaced (a directory is in its way), so
    // the renames before it must be rolled back.
    let blockers = [
        format!(".service-tags.txt.tmp{pid}"),
        format!(".changes.json.tmp{pid}"),
        "service-tags.txt".to_string(),
        "regions.tsv".to_string(),
        "changes.txt".to_string(),
        "changes.json".to_string(),
    ];
    for blocker in blockers {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        seed(&data);
        let target = data.join("public").join(&blocker);
        if target.exists() {
            std::fs::remove_file(&target).unwrap();
        }
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), b"x").unwrap();
        let before = hash_tree(&data);
        let err = refresh(&data).expect_err(&blocker);
        assert!(
            err.contains(&*data.join("public").to_string_lossy()),
            "{blocker}: {err}"
        );
        assert_eq!(hash_tree(&data), before, "{blocker}: data/ changed");
    }
}

/// Runs `f` on a tmpfs of `size` mounted at a fresh directory; `None` where this
/// machine does not let the test mount one (then the test says so and checks nothing
/// more: the interruption test above covers the same clean-up code).
fn with_tmpfs(size: &str, f: impl FnOnce(&Path)) -> Option<()> {
    let dir = tempfile::tempdir().unwrap();
    let mnt: PathBuf = dir.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(&mnt)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!(
            "note: cannot mount a tmpfs here; the full-disk and read-only checks did not run"
        );
        return None;
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mnt)));
    let _ = Command::new("umount").arg(&mnt).status();
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
    Some(())
}

#[test]
fn a_full_disk_changes_nothing() {
    // Room for the snapshot, not for a second copy of it.
    with_tmpfs("3m", |mnt| {
        let data = mnt.join("data");
        seed(&data);
        let before = hash_tree(&data);
        let err = refresh(&data).unwrap_err();
        assert!(
            err.contains("No space left") || err.contains("space"),
            "{err}"
        );
        assert_eq!(hash_tree(&data), before);
    });
}

#[test]
fn a_read_only_data_dir_changes_nothing() {
    with_tmpfs("8m", |mnt| {
        let data = mnt.join("data");
        seed(&data);
        let before = hash_tree(&data);
        let remounted = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(mnt)
            .status()
            .is_ok_and(|s| s.success());
        assert!(remounted, "remount read-only");
        let err = refresh(&data).unwrap_err();
        assert!(err.contains("Read-only"), "{err}");
        assert_eq!(hash_tree(&data), before);
    });
}

fn aztags(args: &[&str], stdin: &[u8]) -> std::process::Output {
    run_with_stdin(env!("CARGO_BIN_EXE_aztags"), args, stdin)
}

#[test]
fn odd_addresses_on_the_command_line() {
    // A zone id, a prefix where an address belongs, octal-looking octets, a port, junk.
    for bad in [
        "fe80::1%eth0",
        "20.41.0.0/24",
        "020.41.0.241",
        "20.41.0.241:443",
        "1.2.3",
        "::ffff:1.2.3.4.5",
        "\u{feff}",
    ] {
        let o = aztags(&["lookup", bad], b"");
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        let why = if bad.contains('/') {
            "is a prefix, not an address: give one address, such as its first, 20.41.0.0"
        } else {
            "is not an IPv4 or IPv6 address"
        };
        assert!(err.contains(why), "{bad:?}: {err}");
    }
    // IPv4-mapped IPv6 is the IPv4 address it carries.
    let o = aztags(&["check", "::ffff:20.41.0.241"], b"");
    assert_eq!(o.status.code(), Some(0));
    // Invalid UTF-8, a BOM, CRLF and blank lines in a stream: bad lines are named, good
    // ones answered.
    let o = aztags(
        &["lookup", "-"],
        b"\xef\xbb\xbf20.41.0.241\r\n\r\n\xff\xfe\n20.41.0.241\n",
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("stdin:3") && err.contains("not UTF-8"),
        "{err}"
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        2,
        "both good lines answered"
    );
    // An empty stream is fine and prints nothing.
    let o = aztags(&["lookup", "-"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
}
