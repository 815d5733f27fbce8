"""The sources file: one pydantic model, shared by the spider and the flows.

Errors name the file, the source and the field, so a typo in a long list is
found at once.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
import zlib
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator, model_validator

DEFAULT_SOURCES = Path(__file__).with_name("sources.toml")

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]


class SourcesError(ValueError):
    """A sources file that cannot be used; the message lists every problem."""


class Source(BaseModel):
    """One site to watch. Its hosts are those of its configured URLs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Slug
    feeds: list[str] = []
    sitemaps: list[str] = []
    start_urls: list[str] = []
    allow: list[str] = []
    deny: list[str] = []
    max_depth: int = Field(default=2, ge=0, le=10)
    max_pages: int = Field(default=200, ge=1, le=100_000)
    # Days before a stored page is checked again (see crawler.history); None: the run's --recheck-days.
    recheck_days: float | None = Field(default=None, gt=0, le=3650)
    # Keep calls to action, contact blocks and bios in this source's articles (flows.clean.promotional):
    # for sources whose pitch is the content, such as a clinic's own service pages. Exact repeats still go.
    keep_promotional: StrictBool = False  # a TOML boolean; a string here is a mistake
    # Non-public networks the source's hosts may resolve to (crawler.scope); none by default.
    private_addresses: list[str] = []

    @field_validator("feeds", "sitemaps", "start_urls")
    @classmethod
    def _http_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an http(s) URL: {url!r}")
            try:
                parts.port  # noqa: B018 (raises ValueError on a port out of range)
            except ValueError:
                raise ValueError(f"bad port in URL: {url!r}") from None
        return urls

    @field_validator("allow", "deny")
    @classmethod
    def _regexes(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
        return patterns

    @field_validator("private_addresses")
    @classmethod
    def _networks(cls, networks: list[str]) -> list[str]:
        for network in networks:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ValueError(f"not an IP address or network: {network!r}") from None
        return networks

    @model_validator(mode="after")
    def _has_entry_point(self) -> Source:
        if not (self.feeds or self.sitemaps or self.start_urls):
            raise ValueError("needs at least one of feeds, sitemaps, start_urls")
        return self

    @property
    def urls(self) -> list[str]:
        """Every configured URL: feeds, sitemaps, start pages."""
        return [*self.feeds, *self.sitemaps, *self.start_urls]

    @property
    def hosts(self) -> list[str]:
        """The hosts this source may be crawled on (no request leaves them; see crawler.scope)."""
        return sorted({urlsplit(u).hostname for u in self.urls})


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> SourcesFile:
        seen: set[str] = set()
        for source in self.sources:
            if source.name in seen:
                raise ValueError(f"duplicate source name {source.name!r}")
            seen.add(source.name)
        return self


def _describe(path: Path, raw: dict, error: dict) -> str:
    """'file: source "x" (#2), field "allow": message'."""
    loc = list(error["loc"])
    where = str(path)
    if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int):
        index = loc[1]
        entries = raw.get("sources", [])
        name = entries[index].get("name") if index < len(entries) and isinstance(entries[index], dict) else None
        where += f": source {name!r} (#{index + 1})" if name else f": source #{index + 1}"
        loc = loc[2:]
    field = ".".join(str(part) for part in loc if not isinstance(part, int)) or "(source)"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown field"
    return f"{where}, field {field!r}: {message}"


def load_sources(path: Path | str | None = None) -> list[Source]:
    """Read and validate a sources file; raise SourcesError naming every mistake."""
    path = Path(path) if path else DEFAULT_SOURCES
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    try:
        return SourcesFile.model_validate(raw).sources
    except ValidationError as exc:
        problems = [_describe(path, raw, error) for error in exc.errors()]
        raise SourcesError("\n".join(problems)) from None


def shard_sources(sources: list[Source], shard: str) -> list[Source]:
    """The sources of shard "I/N" (I from 1): by a hash of the name, so a source keeps its shard as others come and go."""
    index, _, count = shard.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise SourcesError(f"shard: expected I/N with 1 <= I <= N, got {shard!r}")
    return [s for s in sources if zlib.crc32(s.name.encode()) % int(count) == int(index) - 1]
