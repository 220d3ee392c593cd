//! The scalar API: `Snapshot`, `Tag`, `Region` and `Match`, each a handle on the
//! crate's own types.
//!
//! A `Snapshot` holds a `Held` (compiled in, or loaded at run time) shared by the
//! handles made from it. Handles keep it alive and name their tag or region by index,
//! so making one is a copy of two words.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use azure_service_tags as crate_;
use azure_service_tags::render::{render, Format, Target};
use azure_service_tags::route::{plan, Families, Mode, NextHop, RouteRequest};
use azure_service_tags::{parse_ip, Cloud};
use pyo3::exceptions::{PyDeprecationWarning, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::{MutexExt, PyOnceLock};
use pyo3::types::{PyDict, PyString};

use crate::columns;
use crate::errors::{not_found, route_error, snapshot_error, value_error};
use crate::held::Held;
use azure_service_tags::row_functions::OnBadValue;

/// One cloud's service tags and regions.
///
/// ``public()``, ``government()`` and ``china()`` are compiled in; ``from_path`` loads
/// an official ``ServiceTags_*.json`` file or a ``data/<cloud>/`` directory.
#[pyclass(frozen, module = "azure_service_tags")]
pub(crate) struct Snapshot {
    pub(crate) held: Arc<Held>,
}

static PUBLIC: PyOnceLock<Py<Snapshot>> = PyOnceLock::new();
static GOVERNMENT: PyOnceLock<Py<Snapshot>> = PyOnceLock::new();
static CHINA: PyOnceLock<Py<Snapshot>> = PyOnceLock::new();

/// The compiled-in snapshot of `cloud`: one object per process, so its prepared
/// matchers are shared by every call.
fn embedded(py: Python<'_>, cloud: Cloud) -> PyResult<Py<Snapshot>> {
    let cell = match cloud {
        Cloud::Public => &PUBLIC,
        Cloud::AzureGovernment => &GOVERNMENT,
        Cloud::China => &CHINA,
    };
    cell.get_or_try_init(py, || {
        let snap = crate_::SnapshotRef::cloud(cloud)
            .ok_or(crate_::NamedError::NotCompiledIn(cloud))
            .map_err(snapshot_error)?;
        Py::new(
            py,
            Snapshot {
                held: Arc::new(Held::new(snap)),
            },
        )
    })
    .map(|s| s.clone_ref(py))
}

/// The Python object of each loaded snapshot, by its path: one object while the crate
/// holds the same snapshot for that path.
static LOADED: Mutex<BTreeMap<PathBuf, Py<Snapshot>>> = Mutex::new(BTreeMap::new());

/// The one Python object of the loaded snapshot `snap`.
fn loaded_object(py: Python<'_>, snap: crate_::SnapshotRef) -> PyResult<Py<Snapshot>> {
    let path = snap.path().map(PathBuf::from).unwrap_or_default();
    // Waiting for the lock detaches from the interpreter: a holder may need it.
    let mut objects = LOADED
        .lock_py_attached(py)
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(object) = objects.get(&path) {
        if object.get().held.same(&snap) {
            return Ok(object.clone_ref(py));
        }
    }
    let object = Py::new(
        py,
        Snapshot {
            held: Arc::new(Held::new(snap)),
        },
    )?;
    objects.insert(path, object.clone_ref(py));
    Ok(object)
}

/// The compiled-in Public cloud snapshot.
#[pyfunction]
pub(crate) fn public(py: Python<'_>) -> PyResult<Py<Snapshot>> {
    embedded(py, Cloud::Public)
}

/// The compiled-in US Government cloud snapshot.
#[pyfunction]
pub(crate) fn government(py: Python<'_>) -> PyResult<Py<Snapshot>> {
    embedded(py, Cloud::AzureGovernment)
}

/// The compiled-in China cloud snapshot.
#[pyfunction]
pub(crate) fn china(py: Python<'_>) -> PyResult<Py<Snapshot>> {
    embedded(py, Cloud::China)
}

/// An address from a Python value: text, or an `ipaddress` address object.
fn address(ip: &Bound<'_, PyAny>) -> PyResult<IpAddr> {
    let text = if let Ok(text) = ip.cast::<PyString>() {
        text.to_cow()?.into_owned()
    } else if ip.hasattr("packed")? && ip.hasattr("version")? {
        ip.str()?.to_cow()?.into_owned()
    } else {
        return Err(PyTypeError::new_err(format!(
            "expected an address as str or ipaddress object, got {}",
            ip.get_type().name()?
        )));
    };
    parse_ip(text.as_bytes())
        .ok_or_else(|| value_error(format!("{text:?} is not an IPv4 or IPv6 address")))
}

/// The Python value of the crate's own JSON, so dicts equal what the CLI prints.
fn python_value(py: Python<'_>, json: String) -> PyResult<Bound<'_, PyAny>> {
    py.import("json")?.call_method1("loads", (json,))
}

/// Whether a Python value is one address rather than a column of them.
/// Warns that `old` is deprecated in favour of `new`.
fn deprecated(py: Python<'_>, old: &str, new: &str) -> PyResult<()> {
    let message = format!("{old} is deprecated: use {new}");
    let message = std::ffi::CString::new(message).unwrap_or_default();
    PyErr::warn(py, &py.get_type::<PyDeprecationWarning>(), &message, 1)
}

fn is_scalar(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(value.is_instance_of::<PyString>() || value.hasattr("packed")?)
}

#[pymethods]
impl Snapshot {
    /// The compiled-in Public cloud snapshot.
    #[staticmethod]
    #[pyo3(name = "public")]
    fn public_(py: Python<'_>) -> PyResult<Py<Snapshot>> {
        embedded(py, Cloud::Public)
    }

    /// The compiled-in US Government cloud snapshot.
    #[staticmethod]
    #[pyo3(name = "government")]
    fn government_(py: Python<'_>) -> PyResult<Py<Snapshot>> {
        embedded(py, Cloud::AzureGovernment)
    }

    /// The compiled-in China cloud snapshot.
    #[staticmethod]
    #[pyo3(name = "china")]
    fn china_(py: Python<'_>) -> PyResult<Py<Snapshot>> {
        embedded(py, Cloud::China)
    }

    /// Loads an official ``ServiceTags_*.json`` file, or a ``data/<cloud>/`` directory
    /// of the crate's own format, once per process (again when it changes): the same
    /// object while the file is unchanged. Raises ``SnapshotError`` naming the file and
    /// what is wrong with it.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<Py<Snapshot>> {
        let snap = py
            .detach(|| crate_::SnapshotRef::load(&path))
            .map_err(snapshot_error)?;
        loaded_object(py, snap)
    }

    /// The snapshot ``spec`` names, as every tool of the crate reads a name: a cloud
    /// in any spelling (``"public"``, ``"AzureGovernment"``, ``"china"``) is the
    /// compiled-in one, anything else the path of a file or directory, loaded as
    /// ``from_path`` loads it.
    #[staticmethod]
    fn named(py: Python<'_>, spec: PathBuf) -> PyResult<Py<Snapshot>> {
        let Some(text) = spec.to_str() else {
            return Snapshot::from_path(py, spec);
        };
        let snap = py
            .detach(|| crate_::Snapshot::named(text))
            .map_err(snapshot_error)?;
        match snap.path() {
            None => embedded(py, snap.cloud()),
            Some(_) => loaded_object(py, snap),
        }
    }

    /// The file or directory this snapshot was loaded from; ``None`` when compiled in.
    #[getter]
    fn path(&self) -> Option<String> {
        self.held.path().map(|p| p.to_string_lossy().into_owned())
    }

    /// Pickles as a reference, not as data: a compiled-in snapshot as its cloud, a
    /// loaded one as its path, which ``resolve_snapshot`` loads once per process on
    /// the other side (a Spark executor, say). That side must see the same path.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let resolve = py
            .import("azure_service_tags")?
            .getattr("resolve_snapshot")?;
        let argument = match self.held.path() {
            Some(path) => path.into_pyobject(py)?.into_any(),
            None => match self.held.get().cloud() {
                Cloud::Public => "public",
                Cloud::AzureGovernment => "government",
                Cloud::China => "china",
            }
            .into_pyobject(py)?
            .into_any(),
        };
        (resolve, (argument,))
            .into_pyobject(py)
            .map(Bound::into_any)
    }

    /// The cloud's short name (``"public"``, ``"government"``, ``"china"``) when this is
    /// a compiled-in snapshot, the name the DuckDB extension and the Spark jar take;
    /// ``None`` for one loaded from a file.
    #[getter]
    fn embedded_cloud(&self) -> Option<&'static str> {
        match self.held.path() {
            None => Some(self.held.get().cloud().short_name()),
            Some(_) => None,
        }
    }

    /// The cloud: ``"Public"``, ``"AzureGovernment"`` or ``"China"`` (the official
    /// files' ``cloud`` field).
    #[getter]
    fn cloud(&self) -> String {
        self.held.get().cloud().to_string()
    }

    /// Microsoft's ``changeNumber`` of the file.
    #[getter]
    fn change_number(&self) -> u32 {
        self.held.get().change_number()
    }

    /// The official file this snapshot was made from.
    #[getter]
    fn source(&self) -> &str {
        self.held.get().source().file_name()
    }

    /// The publication date (``YYYY-MM-DD``), when the file name carries it.
    #[getter]
    fn published(&self) -> Option<String> {
        self.held.get().published().map(|d| d.to_string())
    }

    /// What ``aztags info --format json`` prints: cloud, changeNumber, source, sha256,
    /// published, ageDays, tags, regions, ipv4Prefixes, ipv6Prefixes.
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let today = crate_::Date::today();
        python_value(py, self.held.get().summary(today).to_json())
    }

    /// The tag of that name (any case), or ``None``.
    fn tag(&self, name: &str) -> Option<Tag> {
        Some(Tag::new(&self.held, self.held.get().tag(name)?))
    }

    /// The region in any spelling a user types (``"East US 2"``, ``"eastus2"``, a tag's
    /// region code), or ``None``.
    fn region(&self, name: &str) -> Option<Region> {
        Some(Region::new(&self.held, self.held.get().region(name)?))
    }

    /// The service's name as the snapshot spells it (``"azuremachinelearning"`` ->
    /// ``"AzureMachineLearning"``); raises ``NotFoundError`` with the closest names.
    fn find_service(&self, service: &str) -> PyResult<&str> {
        self.held.get().find_service(service).map_err(not_found)
    }

    /// The names of every tag, in the snapshot's order.
    fn tag_names(&self) -> Vec<&str> {
        self.held.get().tags().map(|t| t.name()).collect()
    }

    /// The names of every region, in the snapshot's order.
    fn region_names(&self) -> Vec<&str> {
        self.held.get().regions().map(|r| r.name()).collect()
    }

    /// The tags that contain one address (``str`` or ``ipaddress`` object), in the
    /// order the source file lists them.
    fn tags_containing(&self, ip: &Bound<'_, PyAny>) -> PyResult<Vec<Tag>> {
        let ip = address(ip)?;
        Ok(self
            .held
            .get()
            .tags_containing(ip)
            .map(|t| Tag::new(&self.held, t))
            .collect())
    }

    /// For one address (``str`` or ``ipaddress`` object): the service's most specific
    /// tag containing it and that tag's region (a ``Match``), or ``None``. (Given an
    /// Arrow array, it warns and answers as ``service_match_each``.)
    #[pyo3(signature = (ip, service, *, errors = "error"))]
    fn service_match<'py>(
        &self,
        py: Python<'py>,
        ip: &Bound<'py, PyAny>,
        service: &str,
        errors: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        if !is_scalar(ip)? {
            deprecated(py, "Snapshot.service_match(array)", "service_match_each")?;
            return self.service_match_each(py, ip, service, errors);
        }
        let on_invalid = columns::on_invalid(errors)?;
        let snap = self.held.get();
        let service = snap.find_service(service).map_err(not_found)?;
        let ip = match address(ip) {
            Ok(ip) => ip,
            Err(e) if on_invalid == OnBadValue::Null && e.is_instance_of::<PyValueError>(py) => {
                return Ok(py.None().into_bound(py));
            }
            Err(e) => return Err(e),
        };
        let found = snap.service_match(ip, service).map(|hit| Match {
            tag: Tag::new(&self.held, hit.tag()),
        });
        found.into_pyobject(py).map(Bound::into_any)
    }

    /// ``struct<tag: string, region: string>``: for each address of an Arrow array
    /// (strings, ``uint32`` IPv4, or 4- or 16-byte binaries), the service's most specific
    /// tag containing it and its region; null where no tag of the service contains the
    /// address, and for null. ``errors="null"`` turns unparsable addresses into nulls
    /// instead of raising ``ValueError``.
    #[pyo3(signature = (ips, service, *, errors = "error"))]
    fn service_match_each<'py>(
        &self,
        py: Python<'py>,
        ips: &Bound<'py, PyAny>,
        service: &str,
        errors: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        columns::service_match(py, &self.held, ips, service, columns::on_invalid(errors)?)
    }

    /// ``list<string>``: the names of the tags containing each address of an Arrow
    /// array, as ``tags_containing`` finds them for one; null for null. Input and
    /// ``errors`` as ``service_match_each``.
    #[pyo3(signature = (ips, *, errors = "error"))]
    fn tags_containing_each<'py>(
        &self,
        py: Python<'py>,
        ips: &Bound<'py, PyAny>,
        errors: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        columns::tags(py, &self.held, ips, columns::on_invalid(errors)?)
    }

    /// ``bool``: whether each address of an Arrow array is one of ``service``'s (its
    /// global or regional tags), as ``service_match`` would find; null for null. Input
    /// and ``errors`` as ``service_match_each``.
    #[pyo3(signature = (ips, service, *, errors = "error"))]
    fn owned_by_each<'py>(
        &self,
        py: Python<'py>,
        ips: &Bound<'py, PyAny>,
        service: &str,
        errors: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        columns::owned_by(py, &self.held, ips, service, columns::on_invalid(errors)?)
    }

    /// Every tag, in published order. (Given an Arrow array, it warns and answers as
    /// ``tags_containing_each``.)
    #[pyo3(signature = (ips = None, *, errors = "error"))]
    fn tags<'py>(
        &self,
        py: Python<'py>,
        ips: Option<&Bound<'py, PyAny>>,
        errors: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Some(ips) = ips {
            deprecated(py, "Snapshot.tags(array)", "tags_containing_each")?;
            return self.tags_containing_each(py, ips, errors);
        }
        let all: Vec<Tag> = self
            .held
            .get()
            .tags()
            .map(|t| Tag::new(&self.held, t))
            .collect();
        all.into_pyobject(py).map(Bound::into_any)
    }

    /// Deprecated: ``owned_by_each``.
    #[pyo3(signature = (ips, service, *, errors = "error"))]
    fn owned_by<'py>(
        &self,
        py: Python<'py>,
        ips: &Bound<'py, PyAny>,
        service: &str,
        errors: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        deprecated(py, "Snapshot.owned_by", "owned_by_each")?;
        self.owned_by_each(py, ips, service, errors)
    }

    /// The user-defined routes for ``service`` in ``region`` and its pair, as the dict
    /// that ``aztags routes --format json`` prints. Raises ``RouteError`` when no plan
    /// fits (with the count and the alternatives) and ``NotFoundError`` for unknown
    /// names.
    #[pyo3(signature = (
        region,
        service = "AzureMachineLearning",
        *,
        paired = true,
        mode = "prefixes",
        families = "ipv4",
        next_hop_type = "Internet",
        next_hop_ip = None,
        max_routes = crate_::route::DEFAULT_MAX_ROUTES,
        summarize = false,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn routes<'py>(
        &self,
        py: Python<'py>,
        region: &str,
        service: &str,
        paired: bool,
        mode: &str,
        families: &str,
        next_hop_type: &str,
        next_hop_ip: Option<&Bound<'py, PyAny>>,
        max_routes: usize,
        summarize: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let snap = self.held.get();
        let hop_ip = next_hop_ip.map(address).transpose()?;
        let req = RouteRequest::new(service, region)
            .paired(paired)
            .mode(mode.parse::<Mode>().map_err(value_error)?)
            .families(families.parse::<Families>().map_err(value_error)?)
            .next_hop(NextHop::parse(next_hop_type, hop_ip).map_err(value_error)?)
            .max_routes(max_routes)
            .summarize(summarize);
        let p = plan(snap, &req).map_err(route_error)?;
        python_value(py, render(&p, Format::Json, &Target::default()))
    }

    fn __repr__(&self) -> String {
        format!("<Snapshot {}>", self.held.get().provenance())
    }
}

/// What a `Tag` or `Region` holds: its snapshot, and its index there.
struct Handle {
    held: Arc<Held>,
    index: usize,
}

impl Handle {
    /// The same tag (or region) of the same snapshot object.
    fn same(&self, other: &Handle) -> bool {
        Arc::ptr_eq(&self.held, &other.held) && self.index == other.index
    }
}

/// A service tag: a name (``AzureMachineLearning.EastUS2``), its service and region,
/// and its address prefixes.
#[pyclass(frozen, module = "azure_service_tags")]
pub(crate) struct Tag(Handle);

impl Tag {
    fn new(held: &Arc<Held>, tag: crate_::Tag<'_>) -> Tag {
        Tag(Handle {
            held: held.clone(),
            index: tag.index(),
        })
    }

    fn get(&self) -> crate_::Tag<'_> {
        // `Tags::nth` jumps to the index: no walk over the tags before it.
        match self.0.held.get().tags().nth(self.0.index) {
            Some(tag) => tag,
            None => unreachable!("a Tag handle is made from an index of its own snapshot"),
        }
    }
}

#[pymethods]
impl Tag {
    /// The tag's name, as Microsoft spells it.
    #[getter]
    fn name(&self) -> &str {
        self.get().name()
    }

    /// The service: the name without region suffix.
    #[getter]
    fn service(&self) -> &str {
        self.get().service()
    }

    /// The region, for a regional tag.
    #[getter]
    fn region(&self) -> Option<Region> {
        self.get().region().map(|r| Region::new(&self.0.held, r))
    }

    /// Microsoft's ``id``, when the file has it.
    #[getter]
    fn id(&self) -> Option<&str> {
        self.get().id()
    }

    /// The data's region code (Microsoft's ``region``: ``eastus2``, ``centralfrance``),
    /// when the file has it; ``""`` for a global tag.
    #[getter]
    fn region_code(&self) -> Option<&str> {
        self.get().region_code()
    }

    /// Microsoft's ``regionId``, when the file has it.
    #[getter]
    fn region_id(&self) -> Option<u32> {
        self.get().region_id()
    }

    /// Microsoft's ``platform``, when the file has it.
    #[getter]
    fn platform(&self) -> Option<&str> {
        self.get().platform()
    }

    /// Microsoft's ``systemService``, when the file has it.
    #[getter]
    fn system_service(&self) -> Option<&str> {
        self.get().system_service()
    }

    /// Every published property the file has, under Microsoft's names
    /// (``{"changeNumber": 3, "networkFeatures": ["API", "NSG"], ...}``); a ``null``
    /// ``networkFeatures`` is ``None``.
    #[getter]
    fn properties<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        let tag = self.get();
        for p in crate_::Property::ALL {
            let Some(value) = tag.property(p) else {
                continue;
            };
            match value {
                crate_::PropertyValue::Text(text) => dict.set_item(p.official(), text)?,
                crate_::PropertyValue::Number(n) => dict.set_item(p.official(), n)?,
                crate_::PropertyValue::Features(crate_::NetworkFeatures::List(list)) => {
                    dict.set_item(p.official(), list.iter().collect::<Vec<_>>())?
                }
                crate_::PropertyValue::Features(_) => dict.set_item(p.official(), py.None())?,
            }
        }
        Ok(dict)
    }

    /// The tag's own ``changeNumber``, when the file has it.
    #[getter]
    fn change_number(&self) -> Option<u32> {
        self.get().change_number()
    }

    /// Where the tag may be used (``["API", "NSG", "UDR", "FW"]``); ``None`` when the
    /// file has no list.
    #[getter]
    fn network_features(&self) -> Option<Vec<&str>> {
        match self.get().network_features() {
            crate_::NetworkFeatures::List(list) => Some(list.iter().collect()),
            crate_::NetworkFeatures::Absent | crate_::NetworkFeatures::Null => None,
        }
    }

    /// The IPv4 prefixes, as CIDR strings.
    fn ipv4(&self) -> Vec<String> {
        self.get().ipv4().map(|p| p.to_string()).collect()
    }

    /// The IPv6 prefixes, as CIDR strings.
    fn ipv6(&self) -> Vec<String> {
        self.get().ipv6().map(|p| p.to_string()).collect()
    }

    /// Every prefix, IPv4 first, as CIDR strings.
    fn prefixes(&self) -> Vec<String> {
        self.get().prefixes().map(|p| p.to_string()).collect()
    }

    /// Whether the tag contains one address (``str`` or ``ipaddress`` object).
    fn contains(&self, ip: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.get().contains(address(ip)?))
    }

    fn __contains__(&self, ip: &Bound<'_, PyAny>) -> PyResult<bool> {
        self.contains(ip)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Tag>().is_ok_and(|o| o.get().0.same(&self.0))
    }

    fn __hash__(&self) -> u64 {
        self.0.index as u64
    }

    fn __str__(&self) -> &str {
        self.get().name()
    }

    fn __repr__(&self) -> String {
        let tag = self.get();
        let (v4, v6) = (tag.ipv4().len(), tag.ipv6().len());
        format!("<Tag {} ({v4} IPv4 + {v6} IPv6 prefixes)>", tag.name())
    }
}

/// An Azure region: its ARM name, display name, code and paired region.
#[pyclass(frozen, module = "azure_service_tags")]
pub(crate) struct Region(Handle);

impl Region {
    fn new(held: &Arc<Held>, region: crate_::Region<'_>) -> Region {
        Region(Handle {
            held: held.clone(),
            index: region.index(),
        })
    }

    fn get(&self) -> crate_::Region<'_> {
        // `Regions::nth` jumps to the index: no walk over the regions before it.
        match self.0.held.get().regions().nth(self.0.index) {
            Some(region) => region,
            None => unreachable!("a Region handle is made from an index of its own snapshot"),
        }
    }
}

#[pymethods]
impl Region {
    /// The ARM name (``eastus2``).
    #[getter]
    fn name(&self) -> &str {
        self.get().name()
    }

    /// The display name (``East US 2``), when known.
    #[getter]
    fn display_name(&self) -> Option<&str> {
        self.get().display_name()
    }

    /// The code the service-tag file uses for the region, when it has one.
    #[getter]
    fn code(&self) -> Option<&str> {
        self.get().code()
    }

    /// Microsoft's numeric region id, when known.
    #[getter]
    fn region_id(&self) -> Option<u32> {
        self.get().region_id()
    }

    /// The geography (``United States``), when known.
    #[getter]
    fn geography(&self) -> Option<&str> {
        self.get().geography()
    }

    /// The paired (secondary) region, if the region has one.
    #[getter]
    fn paired(&self) -> Option<Region> {
        self.get().paired().map(|r| Region::new(&self.0.held, r))
    }

    /// Whether the region table knows the pair (or that there is none): ``False`` for a
    /// region newer than the region list the table was built from; ``paired`` is then
    /// ``None`` because the pair is unknown.
    #[getter]
    fn pair_known(&self) -> bool {
        self.get().pair_known()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Region>()
            .is_ok_and(|o| o.get().0.same(&self.0))
    }

    fn __hash__(&self) -> u64 {
        self.0.index as u64
    }

    fn __str__(&self) -> &str {
        self.get().name()
    }

    fn __repr__(&self) -> String {
        let r = self.get();
        match r.display_name() {
            Some(display) => format!("<Region {} ({display})>", r.name()),
            None => format!("<Region {}>", r.name()),
        }
    }
}

/// The answer of ``Snapshot.service_match`` for one address: the service's most
/// specific tag that contains it, and that tag's region.
#[pyclass(frozen, module = "azure_service_tags")]
pub(crate) struct Match {
    tag: Tag,
}

#[pymethods]
impl Match {
    /// The most specific tag: regional when one contains the address, else global.
    #[getter]
    fn tag(&self) -> Tag {
        Tag::new(&self.tag.0.held, self.tag.get())
    }

    /// The tag's region; ``None`` when only the service's global tag matched.
    #[getter]
    fn region(&self) -> Option<Region> {
        self.tag.region()
    }

    fn __repr__(&self) -> String {
        let tag = self.tag.get();
        match tag.region() {
            Some(r) => format!("<Match {} in {}>", tag.name(), r.name()),
            None => format!("<Match {}>", tag.name()),
        }
    }
}

/// Each published property of a tag as ``(Microsoft's name, the Tag attribute)``, from
/// the crate's table: ``("region", "region_code")``.
pub(crate) fn tag_properties() -> Vec<(&'static str, &'static str)> {
    crate_::Property::ALL
        .iter()
        .map(|p| (p.official(), p.method()))
        .collect()
}

/// The crate's per-row functions as ``(name, takes_service, returns, spark_type, doc,
/// deprecated_names)``: what the engine glue registers.
pub(crate) type RowFunctionRow = (
    &'static str,
    bool,
    &'static str,
    &'static str,
    &'static str,
    Vec<&'static str>,
);

pub(crate) fn row_functions() -> Vec<RowFunctionRow> {
    crate_::row_functions::ROW_FUNCTIONS
        .iter()
        .map(|f| {
            (
                f.name,
                f.takes_service,
                f.returns.name(),
                f.returns.spark_type(),
                f.doc,
                f.deprecated_names.to_vec(),
            )
        })
        .collect()
}
