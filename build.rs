//! Compiles the pinned snapshots in `data/` into static tables.
//!
//! Three steps, kept apart: **read** `data/<cloud>/service-tags.txt` and `regions.tsv`
//! with the library's own parser (`src/datafile/`), **validate** and compile them into
//! tables with the library's own compiler (`src/index/compile/`), and **emit** Rust
//! source into `OUT_DIR/<cloud>.rs` that is data only: the provenance as constants,
//! one array of raw integers per column (under the column's name), the string blob and
//! `phf` maps for names. `src/embedded.rs` assembles the `Snapshot` from them. The
//! region table of every cloud is emitted too, whatever the features
//! (`OUT_DIR/regions.rs`, a few kilobytes): a snapshot loaded at run time takes its
//! regions and pairs from it. Any failure stops the build naming the file, line, tag
//! and value. Nothing outside this crate is read, and nothing is fetched.

#[allow(dead_code, unused_imports)]
#[path = "src/datafile/mod.rs"]
mod datafile;
#[allow(dead_code, unused_imports)]
#[path = "src/index/mod.rs"]
mod index;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs, process};

use datafile::Cloud;

/// How the data files and the generated file are regenerated, for the generated
/// file's header.
const REGENERATE: &str = "cargo xtask release --from DIR (or --download) rewrites data/; \
     cargo build then rewrites this file";

fn main() {
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/datafile");
    println!("cargo:rerun-if-changed=src/index");
    let out_dir = match env::var_os("OUT_DIR") {
        Some(d) => PathBuf::from(d),
        None => fail("OUT_DIR is not set: run this through cargo"),
    };
    write(&out_dir.join("regions.rs"), &emit_region_tables());
    for cloud in Cloud::ALL {
        let dir = cloud.short_name();
        let feature = format!("CARGO_FEATURE_{}", dir.to_ascii_uppercase());
        if env::var_os(feature).is_none() {
            continue;
        }
        let data = Path::new("data").join(dir);
        let parsed = read(&data);
        let tables = validate(&data, cloud, &parsed);
        let code = emit(&data, &parsed.snapshot, &tables);
        write(&out_dir.join(format!("{dir}.rs")), &code);
    }
}

fn write(out: &Path, code: &str) {
    if let Err(e) = fs::write(out, code) {
        fail(&format!("cannot write {}: {e}", out.display()));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    println!("cargo:warning={message}");
    process::exit(1);
}

// ---- read -------------------------------------------------------------------------

fn read(data: &Path) -> datafile::DataDir {
    datafile::read_data_dir(data).unwrap_or_else(|e| match e {
        datafile::ReadError::Io(_) => fail(&format!(
            "{e} (the cloud's feature is on, so its snapshot must be in data/)"
        )),
        datafile::ReadError::DataFile(e) => fail(&e.to_string()),
    })
}

/// Every cloud's `regions.tsv`, parsed.
fn read_regions(cloud: Cloud) -> Vec<datafile::RegionRecord> {
    let path = Path::new("data")
        .join(cloud.short_name())
        .join(datafile::REGIONS_FILE);
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
    datafile::parse_regions(&text, &path.display().to_string())
        .unwrap_or_else(|e| fail(&e.to_string()))
}

// ---- validate -----------------------------------------------------------------------

fn validate(data: &Path, cloud: Cloud, parsed: &datafile::DataDir) -> index::Compiled {
    let file = data.join(datafile::SERVICE_TAGS_FILE);
    let snapshot = &parsed.snapshot;
    if snapshot.header.cloud != cloud {
        fail(&format!(
            "{}: cloud is {:?}, but this directory holds the {:?} snapshot",
            file.display(),
            snapshot.header.cloud.as_str(),
            cloud.as_str()
        ));
    }
    if snapshot.tags.is_empty() {
        fail(&format!("{}: the snapshot has no tags", file.display()));
    }
    index::build(snapshot, &parsed.regions).unwrap_or_else(|e| {
        fail(&format!(
            "{} with {}: {e}",
            file.display(),
            data.join(datafile::REGIONS_FILE).display()
        ))
    })
}

// ---- emit ---------------------------------------------------------------------------

/// A value the generated source holds, written as a Rust literal of a primitive type.
trait Literal {
    /// The type of the literal, as Rust source.
    fn type_name() -> String;
    /// Appends the literal to `out`.
    fn write_literal(&self, out: &mut String);
}

macro_rules! integer_literal {
    ($($t:ty),*) => {$(
        impl Literal for $t {
            fn type_name() -> String {
                stringify!($t).to_string()
            }
            fn write_literal(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
integer_literal!(u8, u16, u32, u64, u128);

/// A table row, stored as an array of its fields.
impl<const N: usize> Literal for [u32; N] {
    fn type_name() -> String {
        format!("[u32; {N}]")
    }
    fn write_literal(&self, out: &mut String) {
        out.push('[');
        for v in self {
            v.write_literal(out);
            out.push(',');
        }
        out.push(']');
    }
}

/// Emits one static array per column, named as the column: the column list is
/// `index::columns!`, so a new column needs no edit here.
macro_rules! emit_columns {
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $part:ident,)*) => {
        fn emit_arrays(o: &mut String, t: &index::Compiled) {
            $(array(o, stringify!($name), &t.$name);)*
        }
    };
}
index::columns!(emit_columns);

fn emit(data: &Path, snap: &datafile::SnapshotFile, t: &index::Compiled) -> String {
    let h = &snap.header;
    let mut o = String::with_capacity(8 << 20);
    // Writing into a String cannot fail.
    let _ = writeln!(
        o,
        "// @generated by build.rs of azure-service-tags {} from {}: {}, changeNumber {},\n\
         // sha256 {}.\n\
         // DO NOT EDIT. Regenerate: {REGENERATE}.\n",
        env::var("CARGO_PKG_VERSION").unwrap_or_default(),
        data.display(),
        h.source,
        h.change_number,
        h.sha256
    );
    let _ = writeln!(o, "pub const CLOUD: &str = {:?};", h.cloud.as_str());
    let _ = writeln!(o, "pub const CHANGE_NUMBER: u32 = {};", h.change_number);
    let _ = writeln!(o, "pub const SOURCE: &str = {:?};", h.source);
    let _ = writeln!(o, "pub const SHA256: &str = {:?};", h.sha256);
    let published = match &h.published {
        None => "None".to_string(),
        Some(d) => format!("Some(({}, {}, {}))", d.year(), d.month(), d.day()),
    };
    let _ = writeln!(
        o,
        "pub const PUBLISHED: Option<(u16, u8, u8)> = {published};"
    );
    let _ = writeln!(
        o,
        "pub const SNAPSHOT_ID: &str = {:?};",
        format!("{} (changeNumber {})", h.source, h.change_number)
    );
    let _ = writeln!(o, "pub static strings: &str = {:?};", t.strings);
    emit_arrays(&mut o, t);
    phf_map(&mut o, "tag_keys", &t.tag_keys);
    phf_map(&mut o, "regional_keys", &t.regional_keys);
    phf_map(&mut o, "region_keys", &t.region_keys);
    o
}

/// The region table of every cloud, one static array of rows per cloud (named as the
/// cloud's short name in capitals), in the columns of `regions.tsv`.
fn emit_region_tables() -> String {
    let mut o = format!(
        "// @generated by build.rs of azure-service-tags {} from data/*/regions.tsv.\n\
         // DO NOT EDIT. Regenerate: {REGENERATE}.\n\n",
        env::var("CARGO_PKG_VERSION").unwrap_or_default()
    );
    for cloud in Cloud::ALL {
        let rows = read_regions(cloud);
        let name = cloud.short_name().to_ascii_uppercase();
        let _ = writeln!(o, "pub static {name}: [RegionRow; {}] = [", rows.len());
        for r in &rows {
            // `Debug` of strings and options is their Rust literal; the pair is its
            // `regions.tsv` cell.
            let _ = writeln!(
                o,
                "({:?}, {:?}, {:?}, {:?}, {:?}, {:?}),",
                r.name,
                r.display_name,
                r.code,
                r.region_id,
                r.geography,
                r.paired.cell()
            );
        }
        o.push_str("];\n");
    }
    o
}

/// A static array of literals, ten to a line.
fn array<T: Literal>(o: &mut String, name: &str, values: &[T]) {
    let _ = writeln!(
        o,
        "pub static {name}: [{}; {}] = [",
        T::type_name(),
        values.len()
    );
    for chunk in values.chunks(10) {
        for v in chunk {
            v.write_literal(o);
            o.push(',');
        }
        o.push('\n');
    }
    o.push_str("];\n");
}

fn phf_map(o: &mut String, name: &str, keys: &[(String, u32)]) {
    let mut map = phf_codegen::Map::<&str>::new();
    let values: Vec<String> = keys.iter().map(|(_, v)| v.to_string()).collect();
    for ((k, _), v) in keys.iter().zip(&values) {
        map.entry(k.as_str(), v.as_str());
    }
    let _ = writeln!(
        o,
        "pub static {name}: phf::Map<&'static str, u32> = {};",
        map.build()
    );
}
