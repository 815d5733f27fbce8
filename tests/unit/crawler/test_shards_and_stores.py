"""Crawl shards, and the raw store at a URL (fsspec) as well as in a folder."""

from __future__ import annotations

import pyarrow as pa
import pytest

from crawler.config import Source, SourcesError, shard_sources
from crawler.raw_store import SCHEMA, list_files, locate, read_file, write_part
from flows.runner import RunnerError, task_runner

SOURCES = [Source(name=f"s{i}", start_urls=[f"https://s{i}.example/"]) for i in range(20)]


def test_shards_cover_every_source_once():
    shards = [shard_sources(SOURCES, f"{i}/3") for i in (1, 2, 3)]
    names = [s.name for shard in shards for s in shard]
    assert sorted(names) == sorted(s.name for s in SOURCES)
    assert all(shards)


def test_a_source_keeps_its_shard_as_others_come():
    before = {s.name for s in shard_sources(SOURCES[:10], "2/3")}
    after = {s.name for s in shard_sources(SOURCES, "2/3")}
    assert before <= after


@pytest.mark.parametrize("shard", ["0/2", "3/2", "a/b", "2"])
def test_a_bad_shard_is_refused(shard):
    with pytest.raises(SourcesError, match="shard"):
        shard_sources(SOURCES, shard)


@pytest.mark.parametrize("scheme", ["", "file://"])
def test_parts_are_listed_relative_to_the_store_and_read_back(tmp_path, scheme):
    raw = f"{scheme}{tmp_path}"
    row = {"fetch_id": "f1", "source": "a", "kind": "page", "url": "https://a.example/", "request_url": "https://a.example/",
           "status": 200, "headers": [], "body": b"<p>hi</p>", "fetched_at": None, "error": None, "body_sha1": None}  # fmt: skip
    write_part(raw, "a/r1-0000.parquet", pa.Table.from_pylist([row], schema=SCHEMA))
    assert list_files(raw) == ["a/r1-0000.parquet"]
    assert list(tmp_path.rglob("*.tmp")) == []
    [record] = read_file(locate(raw, "a/r1-0000.parquet"))
    assert (record.fetch_id, record.body) == ("f1", b"<p>hi</p>")


def test_an_unknown_runner_says_what_is_expected():
    with pytest.raises(RunnerError, match="dask://HOST:PORT"):
        task_runner("spark://x")
