//! The workspace's version, which the crate and the Python package share.

use std::path::Path;

/// The line of the root `Cargo.toml` that holds the shared version, under
/// `[workspace.package]`.
const KEY: &str = "version = \"";

/// Where the shared version stands in the manifest (byte range) and its three numbers.
fn locate(manifest: &str, path: &Path) -> Result<(usize, usize, [u64; 3]), String> {
    let section = manifest
        .find("[workspace.package]")
        .ok_or_else(|| format!("{}: no [workspace.package] section", path.display()))?;
    let start = manifest[section..]
        .find(KEY)
        .map(|i| section + i + KEY.len())
        .ok_or_else(|| format!("{}: no version in [workspace.package]", path.display()))?;
    let end = manifest[start..]
        .find('"')
        .map(|i| start + i)
        .ok_or_else(|| format!("{}: unterminated version", path.display()))?;
    let old = &manifest[start..end];
    let not_semver = || {
        format!(
            "{}: version {old:?} is not MAJOR.MINOR.PATCH",
            path.display()
        )
    };
    let parts: Vec<u64> = old
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| not_semver())?;
    let numbers: [u64; 3] = parts.try_into().map_err(|_| not_semver())?;
    Ok((start, end, numbers))
}

/// The shared version, as `[major, minor, patch]`.
pub(crate) fn workspace_version(manifest: &str, path: &Path) -> Result<[u64; 3], String> {
    locate(manifest, path).map(|(_, _, v)| v)
}

/// The shared version and the manifest with its patch number bumped.
pub(crate) fn bump_patch(manifest: &str, path: &Path) -> Result<(String, String), String> {
    let (start, end, [major, minor, patch]) = locate(manifest, path)?;
    let new = format!("{major}.{minor}.{}", patch + 1);
    let text = format!("{}{new}{}", &manifest[..start], &manifest[end..]);
    Ok((new, text))
}

#[cfg(test)]
mod tests {
    use super::{bump_patch, workspace_version};

    #[test]
    fn the_patch_number_of_the_workspace_version_is_bumped() {
        let manifest =
            "[package]\nversion.workspace = true\n\n[workspace.package]\nversion = \"0.1.9\"\n";
        let (new, text) = bump_patch(manifest, "Cargo.toml".as_ref()).unwrap();
        assert_eq!(new, "0.1.10");
        assert_eq!(text, manifest.replace("0.1.9", "0.1.10"));
        assert_eq!(workspace_version(&text, "C".as_ref()).unwrap(), [0, 1, 10]);
        assert!(bump_patch("[package]\nversion = \"1\"\n", "C".as_ref()).is_err());
        let odd = "[workspace.package]\nversion = \"1.2\"\n";
        assert!(bump_patch(odd, "C".as_ref())
            .unwrap_err()
            .contains("MAJOR.MINOR.PATCH"));
    }
}
