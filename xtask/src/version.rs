//! The workspace's version, which the crate and the Python package share.

use std::path::Path;

/// The line of the root `Cargo.toml` that holds the shared version, under
/// `[workspace.package]`.
const KEY: &str = "version = \"";

/// The shared version and the manifest with its patch number bumped.
pub(crate) fn bump_patch(manifest: &str, path: &Path) -> Result<(String, String), String> {
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
    let parts: Vec<u64> = old
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| {
            format!(
                "{}: version {old:?} is not MAJOR.MINOR.PATCH",
                path.display()
            )
        })?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!(
            "{}: version {old:?} is not MAJOR.MINOR.PATCH",
            path.display()
        ));
    };
    let new = format!("{major}.{minor}.{}", patch + 1);
    let text = format!("{}{new}{}", &manifest[..start], &manifest[end..]);
    Ok((new, text))
}

#[cfg(test)]
mod tests {
    use super::bump_patch;

    #[test]
    fn the_patch_number_of_the_workspace_version_is_bumped() {
        let manifest =
            "[package]\nversion.workspace = true\n\n[workspace.package]\nversion = \"0.1.9\"\n";
        let (new, text) = bump_patch(manifest, "Cargo.toml".as_ref()).unwrap();
        assert_eq!(new, "0.1.10");
        assert_eq!(text, manifest.replace("0.1.9", "0.1.10"));
        assert!(bump_patch("[package]\nversion = \"1\"\n", "C".as_ref()).is_err());
        let odd = "[workspace.package]\nversion = \"1.2\"\n";
        assert!(bump_patch(odd, "C".as_ref())
            .unwrap_err()
            .contains("MAJOR.MINOR.PATCH"));
    }
}
