//! The repository as the tasks see it: the workspace root, text read with the path in
//! its error, replacement of several files at once, and cargo run in the root.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (the parent of `xtask/`).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// A file's text; the error names the file.
pub(crate) fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Runs `cargo ARGS` in the workspace root with `env` set; fails when it does.
pub(crate) fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .status()
        .map_err(|e| format!("cargo {}: {e}", args.join(" ")))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} failed ({status})", args.join(" ")))
    }
}

/// Makes the directory that `path` goes into (a fresh clone has no `target/`).
pub(crate) fn make_parent(path: &Path) -> Result<(), String> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// Replaces each file whose text differs: every new text is written beside its target
/// first, then all are renamed over their targets, so that a failure while writing
/// leaves every target as it was. Returns the files that changed.
pub(crate) fn replace(files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, String> {
    let changed: Vec<&(PathBuf, String)> = files
        .iter()
        .filter(|(path, text)| std::fs::read_to_string(path).ok().as_ref() != Some(text))
        .collect();
    let temp = |path: &Path| path.with_extension(format!("xtask-{}.tmp", std::process::id()));
    for (path, text) in &changed {
        if let Err(e) = std::fs::write(temp(path), text) {
            for (p, _) in &changed {
                let _ = std::fs::remove_file(temp(p));
            }
            return Err(format!("{}: {e}", path.display()));
        }
    }
    for (path, _) in &changed {
        std::fs::rename(temp(path), path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(changed.into_iter().map(|(p, _)| p.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::replace;

    #[test]
    fn only_changed_files_are_replaced_and_a_failed_write_replaces_none() {
        let dir = std::env::temp_dir().join(format!("xtask-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (a, b) = (dir.join("a.md"), dir.join("b.md"));
        std::fs::write(&a, "same").unwrap();
        std::fs::write(&b, "old").unwrap();
        let changed = replace(&[(a.clone(), "same".into()), (b.clone(), "new".into())]).unwrap();
        assert_eq!(changed, std::slice::from_ref(&b));
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new");
        // A target in a directory that does not exist: nothing is written anywhere.
        let missing = dir.join("nowhere/c.md");
        let err = replace(&[(b.clone(), "newer".into()), (missing, "x".into())]).unwrap_err();
        assert!(err.contains("nowhere"), "{err}");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
