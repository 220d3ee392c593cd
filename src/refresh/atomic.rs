//! Replacing several files together or not at all.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::RefreshError;
use crate::datafile::FileError;

/// Writes every `(path, contents)` pair so that the files are replaced together or not
/// at all: all contents go to temporary files in the target directory first, and only
/// when every one is written and synced are they renamed over the targets. If writing
/// fails, the temporary files are removed and no target is touched; if a rename fails
/// half-way, the targets already replaced are put back from hard-link backups.
///
pub fn write_atomically(files: &[(PathBuf, Vec<u8>)]) -> Result<(), RefreshError> {
    let io = |path: &Path, source| RefreshError::Io(FileError::of(path)(source));
    let pid = std::process::id();
    let sibling = |target: &Path, kind: &str| {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        target.with_file_name(format!(".{name}.{kind}{pid}"))
    };
    // 1. Every new content to a synced temporary file beside its target.
    let mut temps: Vec<(PathBuf, &Path)> = Vec::new();
    for (target, contents) in files {
        let written = (|| {
            if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
                fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
            }
            let temp = sibling(target, "tmp");
            let mut f = fs::File::create(&temp).map_err(|e| io(&temp, e))?;
            temps.push((temp.clone(), target));
            f.write_all(contents).map_err(|e| io(&temp, e))?;
            f.sync_all().map_err(|e| io(&temp, e))
        })();
        if let Err(e) = written {
            remove_quietly(temps.iter().map(|(t, _)| t.as_path()));
            return Err(e);
        }
    }
    // 2. Keep what each target holds now (a hard link, else a copy), so that a rename
    //    failing half-way can put every earlier target back.
    let mut backups: Vec<Option<PathBuf>> = Vec::new();
    for (_, target) in &temps {
        if !target.exists() {
            backups.push(None);
            continue;
        }
        let backup = sibling(target, "bak");
        let _ = fs::remove_file(&backup);
        let saved =
            fs::hard_link(target, &backup).or_else(|_| fs::copy(target, &backup).map(|_| ()));
        backups.push(Some(backup));
        if let Err(e) = saved {
            remove_quietly(temps.iter().map(|(t, _)| t.as_path()));
            remove_quietly(backups.iter().flatten().map(PathBuf::as_path));
            return Err(io(target, e));
        }
    }
    // 3. Rename each temporary file over its target; on failure, undo.
    for (i, (temp, target)) in temps.iter().enumerate() {
        if let Err(e) = fs::rename(temp, target) {
            for ((_, earlier), backup) in temps[..i].iter().zip(&backups).rev() {
                let _ = match backup {
                    Some(b) => fs::rename(b, earlier),
                    None => fs::remove_file(earlier),
                };
            }
            remove_quietly(temps.iter().map(|(t, _)| t.as_path()));
            remove_quietly(backups.iter().flatten().map(PathBuf::as_path));
            return Err(io(target, e));
        }
    }
    remove_quietly(backups.iter().flatten().map(PathBuf::as_path));
    // Make the renames durable where the platform allows it.
    if let Some(dir) = temps.first().and_then(|(t, _)| t.parent())
        && let Ok(d) = fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Removes files that may or may not exist (clean-up after a failure).
fn remove_quietly<'p>(paths: impl IntoIterator<Item = &'p Path>) {
    for p in paths {
        let _ = fs::remove_file(p);
    }
}
