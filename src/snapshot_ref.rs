//! Naming and holding a snapshot, for everything that keeps one for a while (`aztags`,
//! the Python bindings, the DuckDB extension): [`Snapshot::named`] turns what a user
//! types (a cloud, or the path of an official file or a `data/<cloud>/` directory) into
//! a [`SnapshotRef`], a cheap handle on a compiled-in snapshot or on one loaded once
//! per process and shared, with the [`TagMatcher`] of each service asked about
//! prepared once and kept beside it. Feature `json`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::SystemTime;

use crate::datafile::Cloud;
use crate::embedded::snapshot_of;
use crate::matcher::TagMatcher;
use crate::official::OfficialError;
use crate::resolve::NotFound;
use crate::snapshot::{LoadError, Snapshot};

/// A snapshot held for a while: compiled in, or loaded at run time and shared. It
/// dereferences to [`Snapshot`]; cloning it copies a pointer. Made by
/// [`Snapshot::named`], [`SnapshotRef::cloud`] or [`SnapshotRef::load`].
///
/// ```
/// use azure_service_tags::Snapshot;
/// let snap = Snapshot::named("public").unwrap();
/// assert_eq!(snap.cloud(), azure_service_tags::Cloud::Public);
/// assert!(snap.path().is_none());
/// // The same loaded snapshot, once per process.
/// let dir = Snapshot::named("data/public").unwrap();
/// assert!(dir.same(&Snapshot::named("data/public").unwrap()));
/// ```
#[derive(Clone)]
pub struct SnapshotRef(Held);

#[derive(Clone)]
enum Held {
    Embedded(&'static Snapshot, &'static Matchers),
    Loaded(Arc<Loaded>),
}

/// A snapshot loaded from `path`, with its matchers.
struct Loaded {
    snap: Snapshot,
    path: PathBuf,
    matchers: Matchers,
}

/// The prepared matcher of each service asked about, by its canonical name.
struct Matchers(Mutex<BTreeMap<String, Arc<TagMatcher>>>);

impl Matchers {
    const fn new() -> Matchers {
        Matchers(Mutex::new(BTreeMap::new()))
    }
}

/// The compiled-in snapshots' matchers, one table per cloud (in `Cloud::ALL` order).
static EMBEDDED_MATCHERS: [Matchers; Cloud::ALL.len()] =
    [const { Matchers::new() }; Cloud::ALL.len()];

/// The snapshots loaded so far, by absolute path, with the modification time they
/// were read at: a file replaced since is read again.
type LoadedByPath = HashMap<PathBuf, (Option<SystemTime>, Arc<Loaded>)>;
static LOADED: LazyLock<Mutex<LoadedByPath>> = LazyLock::new(Default::default);

/// Why [`Snapshot::named`] gives no snapshot. `Display` names what was asked for.
///
/// ```
/// use azure_service_tags::{NamedError, Snapshot};
/// let err = Snapshot::named("no/such/file.json").unwrap_err();
/// assert!(matches!(err, NamedError::Open { .. }));
/// assert!(err.to_string().contains("no/such/file.json"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum NamedError {
    /// The cloud's snapshot is not compiled into this build (its cargo feature is off).
    NotCompiledIn(Cloud),
    /// The file or directory cannot be opened as a snapshot.
    Open {
        /// The name as given.
        spec: String,
        /// Why.
        source: OfficialError,
    },
}

impl fmt::Display for NamedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NamedError::NotCompiledIn(cloud) => write!(
                f,
                "the {cloud} snapshot is not compiled in (cargo feature {:?})",
                cloud.short_name()
            ),
            // These name the file or directory themselves.
            NamedError::Open { source, .. }
                if matches!(
                    source,
                    OfficialError::Io(_) | OfficialError::Load(LoadError::NotADataDir { .. })
                ) =>
            {
                source.fmt(f)
            }
            NamedError::Open {
                spec,
                source: OfficialError::Invalid { message, .. },
            } => write!(f, "{spec}: the snapshot cannot be loaded: {message}"),
            NamedError::Open { spec, source } => write!(f, "{spec}: {source}"),
        }
    }
}

impl std::error::Error for NamedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NamedError::Open { source, .. } => Some(source),
            NamedError::NotCompiledIn(_) => None,
        }
    }
}

impl Snapshot {
    /// The snapshot `spec` names: a cloud, in any spelling [`Cloud`] parses
    /// (`public`, `AzureGovernment`, `china`), is the compiled-in one; anything else is
    /// the path of an official JSON file or a `data/<cloud>/` directory, loaded as
    /// [`Snapshot::open`] does, once per process (again when the file changes), and
    /// shared by every caller that names it. Feature `json`.
    ///
    /// ```
    /// use azure_service_tags::Snapshot;
    /// assert!(Snapshot::named("Public").unwrap().same(&Snapshot::named("public").unwrap()));
    /// let dir = Snapshot::named("data/public").unwrap();
    /// assert_eq!(dir.change_number(), azure_service_tags::public().change_number());
    /// assert!(dir.path().unwrap().is_absolute());
    /// ```
    pub fn named(spec: &str) -> Result<SnapshotRef, NamedError> {
        match spec.parse::<Cloud>() {
            Ok(cloud) => SnapshotRef::cloud(cloud).ok_or(NamedError::NotCompiledIn(cloud)),
            Err(_) => SnapshotRef::load(Path::new(spec)).map_err(|source| NamedError::Open {
                spec: spec.to_string(),
                source,
            }),
        }
    }
}

impl SnapshotRef {
    /// The compiled-in snapshot of `cloud`, if its feature is on.
    ///
    /// ```
    /// use azure_service_tags::{Cloud, SnapshotRef};
    /// let snap = SnapshotRef::cloud(Cloud::Public).unwrap();
    /// assert!(std::ptr::eq(&*snap, azure_service_tags::public()));
    /// ```
    pub fn cloud(cloud: Cloud) -> Option<SnapshotRef> {
        let snap = snapshot_of(cloud)?;
        let at = Cloud::ALL.iter().position(|&c| c == cloud)?;
        Some(SnapshotRef(Held::Embedded(snap, &EMBEDDED_MATCHERS[at])))
    }

    /// The snapshot at `path` (an official JSON file or a `data/<cloud>/` directory),
    /// loaded once per process and shared; read again when its modification time
    /// changed.
    ///
    /// ```
    /// use azure_service_tags::SnapshotRef;
    /// let snap = SnapshotRef::load("data/public".as_ref()).unwrap();
    /// assert_eq!(snap.cloud(), azure_service_tags::Cloud::Public);
    /// ```
    pub fn load(path: &Path) -> Result<SnapshotRef, OfficialError> {
        // Errors name the path as given; the cache knows it by its absolute form.
        let absolute = std::path::absolute(path)
            .map_err(|e| OfficialError::Io(crate::datafile::FileError::of(path)(e)))?;
        let modified = std::fs::metadata(&absolute).and_then(|m| m.modified()).ok();
        let mut cache = LOADED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((when, loaded)) = cache.get(&absolute)
            && *when == modified
            && modified.is_some()
        {
            return Ok(SnapshotRef(Held::Loaded(Arc::clone(loaded))));
        }
        let snap = Snapshot::open(path)?;
        let loaded = Arc::new(Loaded {
            snap,
            path: absolute.clone(),
            matchers: Matchers::new(),
        });
        cache.insert(absolute, (modified, Arc::clone(&loaded)));
        Ok(SnapshotRef(Held::Loaded(loaded)))
    }

    /// The absolute path a loaded snapshot was read from; `None` for a compiled-in one.
    ///
    /// ```
    /// let snap = azure_service_tags::Snapshot::named("china").unwrap();
    /// assert_eq!(snap.path(), None);
    /// ```
    pub fn path(&self) -> Option<&Path> {
        match &self.0 {
            Held::Embedded(..) => None,
            Held::Loaded(loaded) => Some(&loaded.path),
        }
    }

    /// Whether both hold the same snapshot object.
    ///
    /// ```
    /// use azure_service_tags::Snapshot;
    /// assert!(!Snapshot::named("public").unwrap().same(&Snapshot::named("china").unwrap()));
    /// ```
    pub fn same(&self, other: &SnapshotRef) -> bool {
        std::ptr::eq::<Snapshot>(&**self, &**other)
    }

    /// The service `service` names (any case, as [`Snapshot::find_service`] resolves
    /// it) and its [`TagMatcher`], prepared on first use and kept with the snapshot.
    ///
    /// ```
    /// let snap = azure_service_tags::Snapshot::named("public").unwrap();
    /// let (name, aml) = snap.service_matcher("azuremachinelearning").unwrap();
    /// assert_eq!(name, "AzureMachineLearning");
    /// let again = snap.service_matcher("AzureMachineLearning").unwrap().1;
    /// assert!(std::sync::Arc::ptr_eq(&aml, &again));
    /// assert!(snap.service_matcher("NoSuchService").is_err());
    /// ```
    pub fn service_matcher(&self, service: &str) -> Result<(&str, Arc<TagMatcher>), NotFound> {
        let (snap, matchers) = match &self.0 {
            Held::Embedded(snap, matchers) => (*snap, *matchers),
            Held::Loaded(loaded) => (&loaded.snap, &loaded.matchers),
        };
        let name = snap.find_service(service)?;
        let mut cache = matchers.0.lock().unwrap_or_else(PoisonError::into_inner);
        let matcher = cache
            .entry(name.to_string())
            .or_insert_with(|| Arc::new(TagMatcher::for_service(snap, name)));
        Ok((name, Arc::clone(matcher)))
    }
}

impl Deref for SnapshotRef {
    type Target = Snapshot;

    fn deref(&self) -> &Snapshot {
        match &self.0 {
            Held::Embedded(snap, _) => snap,
            Held::Loaded(loaded) => &loaded.snap,
        }
    }
}

impl fmt::Debug for SnapshotRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SnapshotRef")
            .field("snapshot", &**self)
            .field("path", &self.path())
            .finish()
    }
}
