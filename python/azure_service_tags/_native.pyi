"""Type stubs of the compiled module (python/src)."""

from __future__ import annotations

import ipaddress
import os
from typing import Any, Optional, Union, overload

from typing_extensions import deprecated

import pyarrow as pa

Address = Union[str, ipaddress.IPv4Address, ipaddress.IPv6Address]
#: pyarrow arrays and chunked arrays, Polars Series, DuckDB results: anything with
#: ``__arrow_c_array__`` or ``__arrow_c_stream__``.
ArrowColumn = Any

class NotFoundError(LookupError):
    """A tag, region or service name that the snapshot does not have."""

    #: ``"tag"``, ``"region"`` or ``"service"``.
    kind: str
    #: The name as given.
    name: str
    #: Up to three known names closest to it.
    closest: list[str]

class SnapshotError(ValueError):
    """A snapshot file that cannot be read or is not a valid official file."""

class RouteError(ValueError):
    """A route plan that cannot be made (limit exceeded, no such tag in the region)."""

def public() -> Snapshot:
    """The compiled-in Public cloud snapshot."""

def government() -> Snapshot:
    """The compiled-in US Government cloud snapshot."""

def china() -> Snapshot:
    """The compiled-in China cloud snapshot."""

class Snapshot:
    """One cloud's service tags and regions."""

    @staticmethod
    def public() -> Snapshot: ...
    @staticmethod
    def government() -> Snapshot: ...
    @staticmethod
    def china() -> Snapshot: ...
    @staticmethod
    def named(spec: Union[str, os.PathLike[str]]) -> Snapshot:
        """A cloud's compiled-in snapshot, or the file or directory at a path."""
    @staticmethod
    def from_path(path: Union[str, os.PathLike[str]]) -> Snapshot:
        """Loads an official ``ServiceTags_*.json`` file or a ``data/<cloud>/``
        directory; raises ``SnapshotError``."""
    @property
    def embedded_cloud(self) -> Optional[str]: ...
    @property
    def cloud(self) -> str: ...
    @property
    def change_number(self) -> int: ...
    @property
    def source(self) -> str: ...
    @property
    def published(self) -> Optional[str]: ...
    @property
    def path(self) -> Optional[str]:
        """The file or directory it was loaded from; ``None`` when compiled in."""
    def info(self) -> dict[str, Any]:
        """What ``aztags info --format json`` prints."""
    def tag(self, name: str) -> Optional[Tag]: ...
    def region(self, name: str) -> Optional[Region]: ...
    def find_service(self, service: str) -> str: ...
    def tag_names(self) -> list[str]: ...
    def region_names(self) -> list[str]: ...
    def tags_containing(self, ip: Address) -> list[Tag]: ...
    def service_match(self, ip: Address, service: str, *, errors: str = "error") -> Optional[Match]: ...
    def tags_containing_each(self, ips: ArrowColumn, *, errors: str = "error") -> Union[pa.Array, pa.ChunkedArray]: ...
    def service_match_each(self, ips: ArrowColumn, service: str, *, errors: str = "error") -> Union[pa.Array, pa.ChunkedArray]: ...
    def owned_by_each(self, ips: ArrowColumn, service: str, *, errors: str = "error") -> Union[pa.Array, pa.ChunkedArray]: ...
    @overload
    def tags(self) -> list[Tag]: ...
    @overload
    @deprecated("use tags_containing_each")
    def tags(self, ips: ArrowColumn, *, errors: str = "error") -> Union[pa.Array, pa.ChunkedArray]: ...
    @deprecated("use owned_by_each")
    def owned_by(self, ips: ArrowColumn, service: str, *, errors: str = "error") -> Union[pa.Array, pa.ChunkedArray]: ...
    def routes(
        self,
        region: str,
        service: str = "AzureMachineLearning",
        *,
        paired: bool = True,
        mode: str = "prefixes",
        families: str = "ipv4",
        next_hop_type: str = "Internet",
        next_hop_ip: Optional[Address] = None,
        max_routes: int = 400,
        summarize: bool = False,
    ) -> dict[str, Any]:
        """The plan ``aztags routes --format json`` prints."""

#: The crate's per-row functions: (name, takes_service, returns, spark_type, doc,
#: deprecated_names).
ROW_FUNCTIONS: list[tuple[str, bool, str, str, str, list[str]]]

#: Each published property of a tag as (Microsoft's name, the Tag attribute).
TAG_PROPERTIES: list[tuple[str, str]]

class Tag:
    """A service tag."""

    @property
    def name(self) -> str: ...
    @property
    def service(self) -> str: ...
    @property
    def region(self) -> Optional[Region]: ...
    @property
    def id(self) -> Optional[str]: ...
    @property
    def region_code(self) -> Optional[str]: ...
    @property
    def region_id(self) -> Optional[int]: ...
    @property
    def platform(self) -> Optional[str]: ...
    @property
    def system_service(self) -> Optional[str]: ...
    @property
    def change_number(self) -> Optional[int]: ...
    @property
    def network_features(self) -> Optional[list[str]]: ...
    @property
    def properties(self) -> dict[str, Any]: ...
    def ipv4(self) -> list[str]: ...
    def ipv6(self) -> list[str]: ...
    def prefixes(self) -> list[str]: ...
    def contains(self, ip: Address) -> bool: ...
    def __contains__(self, ip: Address) -> bool: ...
    def __hash__(self) -> int: ...

class Region:
    """An Azure region."""

    @property
    def name(self) -> str: ...
    @property
    def display_name(self) -> Optional[str]: ...
    @property
    def code(self) -> Optional[str]: ...
    @property
    def region_id(self) -> Optional[int]: ...
    @property
    def geography(self) -> Optional[str]: ...
    @property
    def paired(self) -> Optional[Region]: ...
    @property
    def pair_known(self) -> bool: ...
    def __hash__(self) -> int: ...

class Match:
    """The answer of ``Snapshot.service_match`` for one address."""

    @property
    def tag(self) -> Tag: ...
    @property
    def region(self) -> Optional[Region]: ...
