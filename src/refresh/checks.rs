//! The checks a new file must pass against the pinned snapshot.

use std::collections::HashSet;

use super::{RefreshError, RefreshOptions};
use crate::datafile::SnapshotFile;

/// The checks a new file must pass against the pinned snapshot before anything is
/// written: its changeNumber is not lower (unless `allow_downgrade`), and it drops
/// neither more than 10% of the prefixes nor any protected tag (unless `force`): such a
/// file is more likely broken than real.
pub fn check_update(
    old: &SnapshotFile,
    new: &SnapshotFile,
    file: &str,
    options: &RefreshOptions,
) -> Result<(), RefreshError> {
    if new.header.change_number < old.header.change_number && !options.allow_downgrade {
        return Err(RefreshError::Downgrade {
            file: file.to_string(),
            pinned: old.header.change_number,
            found: new.header.change_number,
        });
    }
    if options.force {
        return Ok(());
    }
    let count = |s: &SnapshotFile| s.tags.iter().map(|t| t.prefixes.len()).sum::<usize>();
    let (pinned, found) = (count(old), count(new));
    if found * 10 < pinned * 9 {
        return Err(RefreshError::Shrink {
            file: file.to_string(),
            pinned,
            found,
        });
    }
    let names: HashSet<String> = new
        .tags
        .iter()
        .map(|t| t.name.to_ascii_lowercase())
        .collect();
    let protected: Vec<String> = options
        .protected
        .iter()
        .map(|p| p.to_ascii_lowercase())
        .collect();
    let dropped: Vec<String> = old
        .tags
        .iter()
        .map(|t| (t, t.name.to_ascii_lowercase()))
        .filter(|(_, name)| protected.iter().any(|p| name.starts_with(p.as_str())))
        .filter(|(_, name)| !names.contains(name))
        .map(|(t, _)| t.name.clone())
        .collect();
    if !dropped.is_empty() {
        return Err(RefreshError::DropsTags {
            file: file.to_string(),
            tags: dropped,
        });
    }
    Ok(())
}
