"""The Prefect flows: crawl -> extract -> clean -> dedupe -> load -> analyse -> publish -> dashboard.

Thin wrappers over the step modules; retries only where a retry can help
(the crawl, which touches the network). One source failing never stops the
others: its failure is reported in the run summary.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from crawler.config import Source, load_sources, shard_sources
from crawler.raw_store import list_files, locate
from flows.analyse.citations import load_studies
from flows.analyse.story import StoryText, analyse_all, flatten, rules_fingerprint
from flows.analyse.topics import load_taxonomy
from flows.clean.boilerplate import Sighting, boilerplate_hashes, clean_text, sightings
from flows.cli import progress
from flows.dedupe.neardup import signature, signatures
from flows.dedupe.stories import Assignment, PageKeys, assign_stories
from flows.extract.page import FetchTally, Page, extract_file, text_hash
from flows.publish.dashboard import build_dashboard
from flows.runner import cluster_map, task_runner
from flows.store import catalog, snapshot
from flows.store.db import DatabaseError, connect, database_path
from flows.store.faults import crash_point
from flows.store.load import (
    SourceReport,
    TextUpdate,
    existing_keys,
    existing_sightings,
    existing_signatures,
    extracted_texts,
    load_analysis,
    load_run,
    stories_to_analyse,
)
from flows.store.runlock import RunInProgress, run_lock
from flows.store.snapshot import prepare_work, work_path
from flows.text.tokens import WORD

STUDY_FIELDS = ("first_author", "year", "title", "journal", "doi", "pmid", "nct_id", "substance", "condition",
                "retracted", "retraction_date")  # fmt: skip

CRAWL_TIMEOUT = 3600  # seconds one source's crawl may take before it is stopped
PARALLEL_FILES = 4  # below this many raw files, extraction runs in this process
SIGNATURE_CHUNK = 200  # texts per MinHash task on a Dask cluster


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    db: Path
    raw: str  # the raw store: a folder, or a URL such as s3://bucket/prefix (crawler.raw_store)
    catalog: str | None = None  # a DuckLake published to as well (flows.store.catalog); None: the file alone

    @classmethod
    def make(cls, data_dir: Path | str = "data", db: Path | str | None = None, raw: str | None = None,
             catalog: str | None = None) -> Paths:  # fmt: skip
        data_dir = Path(data_dir)
        catalog = None if catalog in (None, "", "local") else catalog
        return cls(data_dir, database_path(data_dir, db), raw or str(data_dir / "raw"), catalog)

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def work_db(self) -> Path:
        """Where runs write; readers open ``db``, which each run replaces atomically (flows.store.snapshot)."""
        return work_path(self.db)


@dataclass
class CrawlOutcome:
    source: str
    ok: bool
    detail: str | None = None


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


# -- tasks -------------------------------------------------------------------


@task(retries=1, retry_delay_seconds=10, cache_policy=NO_CACHE, task_run_name="crawl-{source.name}")
def crawl_source(source: Source, paths: Paths, run_id: str, crawl_settings: dict[str, str], recheck_days: float) -> str:
    """Crawl one source in a subprocess (Twisted's reactor can't restart in-process)."""
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    stats_file = paths.log_dir / f"{run_id}-{source.name}.stats.json"
    log_file = paths.log_dir / f"{run_id}-{source.name}.log"
    command = [sys.executable, "-m", "crawler.crawl", source.model_dump_json(), paths.raw, run_id,
               str(stats_file), "--recheck-days", str(recheck_days), "-s", f"LOG_FILE={log_file}"]  # fmt: skip
    for name, value in crawl_settings.items():
        command += ["-s", f"{name}={value}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=CRAWL_TIMEOUT, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"crawl of {source.name} exited {result.returncode}: {result.stderr.strip()[-500:]}")
    stats = json.loads(stats_file.read_text())
    get_run_logger().info("crawled %s: %s responses (%s)", source.name, stats["responses"], stats["finish_reason"])
    return stats["finish_reason"]


@task(cache_policy=NO_CACHE)
def extract(paths: Paths, files: list[str]) -> tuple[list[Page], dict[str, FetchTally]]:
    """Extract every page of the given raw-store files (relative paths), in parallel when many."""
    pages: list[Page] = []
    tallies: dict[str, FetchTally] = {}
    step = progress.Step("extract", total=len(files))
    locations = [locate(paths.raw, f) for f in files]
    pool = None
    if (results := cluster_map(extract_file, locations)) is None:
        if len(files) < PARALLEL_FILES:
            results = map(extract_file, locations)
        else:
            pool = ProcessPoolExecutor(max_workers=os.cpu_count())
            results = pool.map(extract_file, locations)
    try:
        for file_pages, file_tallies in results:
            pages += file_pages
            crash_point("extract")
            for source, tally in file_tallies.items():
                tallies.setdefault(source, FetchTally()).add(tally)
            step.advance()
    finally:
        if pool:
            pool.shutdown()
    articles = sum(p.is_article for p in pages)
    get_run_logger().info("extracted %s pages from %s files: %s articles", len(pages), len(files), articles)
    return pages, tallies


@dataclass
class Cleaned:
    sightings: list[Sighting]
    updates: list[TextUpdate]
    boilerplate: dict[str, set[str]]  # source -> paragraph hashes removed, for the sources of this run


@task(cache_policy=NO_CACHE)
def clean(paths: Paths, pages: list[Page], rebuild: bool) -> Cleaned:
    """Drop keyword stuffing and each source's recurring paragraphs from the new pages' text.

    Pages loaded earlier are cleaned again when a paragraph of their source
    has just become boilerplate.
    """
    articles = [p for p in pages if p.is_article]
    sources = sorted({p.source for p in articles})
    new = [s for p in articles for s in sightings(p.source, p.extracted_text)]
    earlier, old_pages = [], []
    if not rebuild and sources:
        with connect(paths.work_db) as con:
            earlier = existing_sightings(con, sources)
    before = boilerplate_hashes(earlier)
    after = boilerplate_hashes(earlier + [(s.source, s.paragraph_hash, s.page_text_hash) for s in new])
    for page in articles:
        page.set_text(clean_text(page.extracted_text, after.get(page.source, set())))
    changed = sorted(source for source in after if after[source] != before.get(source, set()))
    if not rebuild and changed:
        with connect(paths.work_db) as con:
            old_pages = extracted_texts(con, changed)
    updates = []
    for page_id, source, extracted, digest in old_pages:
        cleaned = clean_text(extracted, after[source])
        if text_hash(cleaned) != digest:
            updates.append(TextUpdate(page_id, cleaned, len(WORD.findall(cleaned)), text_hash(cleaned)))
    return Cleaned(new, updates, {source: after.get(source, set()) for source in sources})


@dataclass
class Stories:
    assignments: dict[str, Assignment]  # page_id -> story
    signatures: dict[str, np.ndarray]  # new MinHash signatures, by text hash


@task(cache_policy=NO_CACHE)
def dedupe(paths: Paths, pages: list[Page], updates: list[TextUpdate], rebuild: bool) -> Stories:
    """Assign every article page to a story, together with those already loaded."""
    keys = [
        PageKeys(
            p.page_id,
            p.fetched_at,
            p.url_key,
            p.canonical_key,
            p.text_hash,
            p.published_date,
            p.syndicated_from is not None,
        )
        for p in pages
        if p.is_article
    ]
    texts = {p.text_hash: p.text for p in pages if p.is_article} | {u.text_hash: u.text for u in updates}
    known: dict[str, np.ndarray] = {}
    if not rebuild:
        with connect(paths.work_db) as con:
            changed = {u.page_id: u.text_hash for u in updates}
            keys += [
                dataclasses.replace(k, text_hash=changed[k.page_id]) if k.page_id in changed else k
                for k in existing_keys(con)
            ]
            known = existing_signatures(con)
    todo = [(text_hash, text) for text_hash, text in texts.items() if text_hash not in known]
    chunks = [[text for _, text in todo[i : i + SIGNATURE_CHUNK]] for i in range(0, len(todo), SIGNATURE_CHUNK)]
    if (computed := cluster_map(signatures, chunks)) is None:
        computed = ([signature(text) for text in chunk] for chunk in chunks)
    new = dict(zip([h for h, _ in todo], (s for chunk in computed for s in chunk), strict=True))
    assignments = assign_stories(keys, known | new)
    get_run_logger().info(
        "%s article pages in %s stories", len(keys), len({a.article_id for a in assignments.values()})
    )
    return Stories(assignments, new)


@task(cache_policy=NO_CACHE)
def load(paths: Paths, run_id: str, command: str, started_at: datetime, pages: list[Page], cleaned: Cleaned,
         stories: Stories, files: list[str], reports: dict[str, SourceReport],
         rebuild: bool) -> dict[str, SourceReport]:  # fmt: skip
    with connect(paths.work_db) as con:
        return load_run(con, run_id=run_id, command=command, started_at=started_at, pages=pages,
                        stories=stories.assignments, signatures=stories.signatures, files=files, reports=reports,
                        sightings=cleaned.sightings, updates=cleaned.updates,
                        boilerplate=cleaned.boilerplate, rebuild=rebuild)  # fmt: skip


@task(cache_policy=NO_CACHE)
def analyse(paths: Paths) -> int:
    """Tag topics, claims and cited studies of every story whose text or rules changed; return how many."""
    rules = rules_fingerprint()
    with connect(paths.work_db) as con:
        todo = [
            StoryText(a, h, title, text, tuple(links)) for a, h, title, text, links in stories_to_analyse(con, rules)
        ]
        step = progress.Step("analyse", total=len(todo))
        analyses = []
        for chunk in analyse_all(todo, cpu_map=cluster_map):
            analyses += chunk
            step.advance(len(chunk))
        topics = [{"topic_id": t.topic_id, "kind": t.kind, "label": t.label, "synonyms": list(t.synonyms)}
                  for t in load_taxonomy()]  # fmt: skip
        studies = [{"study_key": s.key, **{f: getattr(s, f) for f in STUDY_FIELDS}} for s in load_studies()]
        load_analysis(con, flatten(analyses), rules, topics, studies)
    get_run_logger().info("analysed %s stories", len(todo))
    return len(todo)


@task(cache_policy=NO_CACHE)
def publish(paths: Paths) -> None:
    """Checkpoint the work file and publish it: readers switch to the new state at once."""
    with connect(paths.work_db) as con:
        con.execute("checkpoint")
    crash_point("publish")
    snapshot.publish(paths.db)
    if lake := catalog.parse(paths.catalog):
        catalog.publish(paths.work_db, lake)


@task(cache_policy=NO_CACHE)
def dashboard(paths: Paths) -> None:
    """Rebuild DATA_DIR/dashboard.html from the published database; a failure is logged, the run stands."""
    try:
        build_dashboard(paths.db, paths.data_dir / "dashboard.html")
    except Exception as exc:  # noqa: BLE001 (the data are committed; `psynews dashboard` can rebuild the page)
        get_run_logger().warning("dashboard not rebuilt: %s", exc)


# -- flows -------------------------------------------------------------------


def open_work(paths: Paths) -> None:
    """Create or upgrade the work database; refuse a foreign or corrupt published file, leaving it alone."""
    fresh = not paths.work_db.exists()
    if lake := catalog.parse(paths.catalog):
        catalog.seed_work(paths.work_db, lake)
    prepare_work(paths.db)
    try:
        connect(paths.work_db).close()
    except DatabaseError as exc:
        if fresh:
            paths.work_db.unlink(missing_ok=True)
        raise DatabaseError(str(exc).replace(str(paths.work_db), str(paths.db))) from None


def unloaded_files(paths: Paths) -> list[str]:
    with connect(paths.work_db) as con:
        loaded = {row[0] for row in con.execute("select path from internal.loaded_files").fetchall()}
    return [f for f in list_files(paths.raw) if f not in loaded]


def crawl_all(sources: list[Source], paths: Paths, run_id: str, crawl_settings: dict[str, str],
              recheck_days: float) -> dict[str, CrawlOutcome]:  # fmt: skip
    step = progress.Step("crawl", total=len(sources))
    futures = {s.name: crawl_source.submit(s, paths, run_id, crawl_settings, recheck_days) for s in sources}
    outcomes = {}
    for name, future in futures.items():
        state = future.wait() or future.state
        if state.is_completed():
            outcomes[name] = CrawlOutcome(name, True)
        else:
            outcomes[name] = CrawlOutcome(name, False, str(state.message or "crawl failed"))
        step.advance(description=f"crawl ({name} done)")
        crash_point("crawl")
    return outcomes


def process(paths: Paths, run_id: str, command: str, started_at: datetime, files: list[str],
            outcomes: dict[str, CrawlOutcome], rebuild: bool) -> dict[str, SourceReport]:  # fmt: skip
    """extract -> clean -> dedupe -> load -> analyse -> publish, shared by run and reprocess."""
    pages, tallies = extract(paths, files)
    cleaned = clean(paths, pages, rebuild)
    stories = dedupe(paths, pages, cleaned.updates, rebuild)
    reports: dict[str, SourceReport] = {}
    for name, outcome in outcomes.items():
        report = reports.setdefault(name, SourceReport(name))
        if not outcome.ok:
            report.failed = True
            report.errors += 1
            report.errors_by_kind["crawl_failed"] = 1
            report.error_detail.append(outcome.detail or "crawl failed")
    if command == "run":
        for name, tally in tallies.items():
            report = reports.setdefault(name, SourceReport(name))
            report.pages_fetched += tally.pages_fetched
            report.errors += tally.errors
            report.error_detail += tally.error_detail
            report.not_modified += tally.not_modified
            report.skipped += tally.skipped
            report.empty_extractions += tally.empty_extractions
            for kind, count in tally.errors_by_kind.items():
                report.errors_by_kind[kind] = report.errors_by_kind.get(kind, 0) + count
    for name, report in reports.items():
        if command == "run" and not report.failed and tallies.get(name, FetchTally()).responses == 0:
            # Nothing answered at all: down, misconfigured, or every URL refused.
            report.failed = True
            report.error_detail.append("no response from the source")
    reports = load(paths, run_id, command, started_at, pages, cleaned, stories, files, reports, rebuild)
    analyse(paths)
    publish(paths)
    dashboard(paths)
    return reports


# The flows run where PSYNEWS_RUNNER says when this module is imported (so served and deployed runs follow it);
# the CLI's --runner applies flow.with_options(task_runner=task_runner(...)).
@flow(name="psynews-run", task_runner=task_runner(), log_prints=True)
def run_flow(sources_file: str | None = None, data_dir: str = "data", db: str | None = None,
             crawl_settings: dict[str, str] | None = None, recheck_days: float = 7.0,
             only: list[str] | None = None, raw: str | None = None, catalog: str | None = None,
             crawl: bool = True) -> dict[str, SourceReport] | None:  # fmt: skip
    """Crawl every configured source, then extract, dedupe and load what is new.

    ``crawl=False`` loads what other crawls (a work pool's shards) wrote to the raw store.
    Returns None, doing nothing, when another run holds the data directory.
    """
    started_at = datetime.now(UTC)
    paths = Paths.make(data_dir, db, raw, catalog)
    sources = [s for s in load_sources(sources_file) if not only or s.name in only]
    try:
        with run_lock(paths.data_dir):
            open_work(paths)
            run_id = new_run_id()
            outcomes = crawl_all(sources, paths, run_id, crawl_settings or {}, recheck_days) if crawl else {}
            return process(paths, run_id, "run", started_at, unloaded_files(paths), outcomes, rebuild=False)
    except RunInProgress as exc:
        get_run_logger().warning(str(exc))
        return None


@flow(name="psynews-crawl", task_runner=task_runner())
def crawl_flow(sources_file: str | None = None, data_dir: str = "data", crawl_settings: dict[str, str] | None = None,
               recheck_days: float = 7.0, only: list[str] | None = None, raw: str | None = None,
               shard: str | None = None) -> dict[str, CrawlOutcome] | None:  # fmt: skip
    """Crawl into the raw store only; a later run or reprocess loads it. None when another run is in progress.

    ``shard`` "I/N" crawls only the sources of shard I of N (crawler.config.shard): N workers of a
    Prefect work pool, each running one shard, crawl every source once.
    """
    paths = Paths.make(data_dir, raw=raw)
    sources = [s for s in load_sources(sources_file) if not only or s.name in only]
    # Shards of one crawl on one machine (two workers of a pool) must not lock each other out.
    lock_dir = paths.data_dir / "shards" / shard.replace("/", "-of-") if shard else paths.data_dir
    if shard:
        sources = shard_sources(sources, shard)
    try:
        with run_lock(lock_dir):
            return crawl_all(sources, paths, new_run_id(), crawl_settings or {}, recheck_days)
    except RunInProgress as exc:
        get_run_logger().warning(str(exc))
        return None


@flow(name="psynews-reprocess", task_runner=task_runner())
def reprocess_flow(data_dir: str = "data", db: str | None = None, raw: str | None = None,
                   catalog: str | None = None) -> dict[str, SourceReport] | None:  # fmt: skip
    """Rebuild every page and story from the raw store, with no network. None when another run is in progress."""
    started_at = datetime.now(UTC)
    paths = Paths.make(data_dir, db, raw, catalog)
    try:
        with run_lock(paths.data_dir):
            open_work(paths)
            files = list_files(paths.raw)
            return process(paths, new_run_id(), "reprocess", started_at, files, {}, rebuild=True)
    except RunInProgress as exc:
        get_run_logger().warning(str(exc))
        return None
