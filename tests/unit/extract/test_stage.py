"""The extract stage's entry point over a real raw store: pages, and each source's fetch report."""

from __future__ import annotations

import gc
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from crawler.raw_store import RawRecord, RawWriter, list_files
from flows.extract.stage import extract_files
from flows.settings import RUN
from tests.site_server import site_record

ARTICLES = ["/blog/ketamine-clinic-access/", "/blog/psilocybin-depression-trial/", "/blog/mdma-ptsd-phase-3-results/",
            "/blog/microdosing-research-review/", "/blog/esketamine-insurance-coverage/"]  # fmt: skip


def raw_store(tmp_path):
    """Two sources, one raw file per article, plus a 503 and a 304."""
    for i, path in enumerate(ARTICLES):
        source = "harbor" if i % 2 == 0 else "quay"
        writer = RawWriter(tmp_path, source, f"r{i}")
        writer.write(site_record(path, source))
        writer.close()
    writer = RawWriter(tmp_path, "harbor", "r9")
    writer.write(RawRecord(uuid.uuid4().hex, "harbor", "page", "https://harbor.example/down", "https://harbor.example/down",
                           503, {}, b""))  # fmt: skip
    writer.write(RawRecord(uuid.uuid4().hex, "harbor", "not_modified", "https://harbor.example/", "https://harbor.example/",
                           304, {}, b""))  # fmt: skip
    writer.close()
    return list_files(tmp_path)


def test_every_file_is_extracted_and_reported_by_source(tmp_path):
    files = raw_store(tmp_path)
    calls = []
    pages, reports = extract_files(tmp_path, files, progress=lambda done, total: calls.append((done, total)))

    assert sorted(p.url.split(".example")[1] for p in pages if p.is_article) == sorted(ARTICLES)
    assert sum(done for done, _ in calls) == 6  # every page, the 503 too
    assert {total for _, total in calls} == {6}
    harbor, quay = reports["harbor"], reports["quay"]
    assert (harbor.responses, harbor.pages_fetched, harbor.not_modified, harbor.errors) == (5, 4, 1, 1)
    assert dict(harbor.errors_by_kind) == {"http_5xx": 1}
    assert harbor.error_detail == ["https://harbor.example/down: http 503"]
    assert (quay.responses, quay.pages_fetched, quay.errors) == (2, 2, 0)


def test_process_pool_gives_what_one_process_gives(tmp_path):
    files = raw_store(tmp_path)
    serial = extract_files(tmp_path, files, replace(RUN, parallel_pages=100))
    pooled = extract_files(tmp_path, files, replace(RUN, parallel_pages=1, workers=2))

    def texts(pages):
        return sorted((p.url, p.text_hash, p.skip_reason) for p in pages)

    assert texts(pooled[0]) == texts(serial[0])
    assert pooled[1] == serial[1]
    assert gc.get_freeze_count() == 0  # the heap frozen for the workers is collectable again


def test_on_a_cluster_each_task_reads_its_part_and_gives_what_one_process_gives(tmp_path):
    files = raw_store(tmp_path)
    handed: list = []

    def cluster_map(fn, items):
        """As flows.runner.cluster_map: fn over the items in other processes, results in order."""
        handed.extend(items)
        with ProcessPoolExecutor(2) as pool:
            return iter(list(pool.map(fn, items)))

    serial = extract_files(tmp_path, files, replace(RUN, parallel_pages=100))
    calls = []
    spread = extract_files(
        tmp_path, files, progress=lambda done, total: calls.append((done, total)), cpu_map=cluster_map
    )

    assert [Path(p) for p in handed] == [tmp_path / f for f in files]  # locations, never records with their bodies
    assert [(p.url, p.text_hash, p.skip_reason) for p in spread[0]] == [
        (p.url, p.text_hash, p.skip_reason) for p in serial[0]
    ]
    assert spread[1] == serial[1]
    assert calls == [(1, len(files))] * len(files)  # progress in parts: the pages are counted on the workers
