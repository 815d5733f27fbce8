"""The Prefect flows: crawl -> extract -> clean -> dedupe -> load -> analyse -> publish -> dashboard.

Each task is a few lines calling its stage package's entry point (``flows/<stage>/stage.py``),
which the benchmarks and tests call too; retries only where a retry can help
(the crawl, which touches the network). One source failing never stops the
others: its failure is reported in the run summary.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from crawler.config import Source, load_sources, shard_sources
from crawler.launch import crawl_subprocess
from crawler.raw_store import list_files
from flows.analyse.stage import analyse_stories
from flows.clean.stage import Cleaned, clean_pages
from flows.cli import progress
from flows.dedupe.stage import Stories, assign
from flows.extract.page import Page
from flows.extract.stage import extract_files
from flows.publish.dashboard import build_dashboard
from flows.report import RunReport, flag_silent, merge_reports, quarantined_only
from flows.runner import cluster_map, task_runner
from flows.settings import RUN, Paths, RunSettings
from flows.store.faults import crash_point
from flows.store.runlock import RunInProgress, run_lock
from flows.store.stage import Store


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


# -- tasks: each calls its stage's entry point ------------------------------


@task(retries=1, retry_delay_seconds=RUN.crawl_retry_delay, cache_policy=NO_CACHE, task_run_name="crawl-{source.name}")
def crawl_source(source: Source, paths: Paths, run_id: str, crawl_settings: dict[str, str],
                 settings: RunSettings) -> str:  # fmt: skip
    """Crawl one source in a subprocess (Twisted's reactor can't restart in-process)."""
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    logs = paths.log_dir / f"{run_id}-{source.name}"
    stats = crawl_subprocess(source.model_dump_json(), paths.raw_dir, run_id, logs.with_suffix(".stats.json"),
                             logs.with_suffix(".log"), recheck_days=settings.recheck_days, settings=crawl_settings,
                             timeout=settings.crawl_timeout)  # fmt: skip
    get_run_logger().info("crawled %s: %s responses (%s)", source.name, stats["responses"], stats["finish_reason"])
    return stats["finish_reason"]


@task(cache_policy=NO_CACHE)
def extract(paths: Paths, files: list[str], settings: RunSettings) -> tuple[list[Page], dict[str, RunReport]]:
    step = progress.Step("extract", len(files))
    pages, reports = extract_files(paths.raw_dir, files, settings, step.progress, cpu_map=cluster_map)
    articles = sum(p.is_article for p in pages)
    get_run_logger().info("extracted %s pages from %s files: %s articles", len(pages), len(files), articles)
    return pages, reports


@task(cache_policy=NO_CACHE)
def clean(store: Store | None, pages: list[Page], keep_promotional: frozenset[str]) -> Cleaned:
    return clean_pages(pages, store, keep_promotional)


@task(cache_policy=NO_CACHE)
def dedupe(store: Store | None, pages: list[Page], cleaned: Cleaned) -> Stories:
    stories = assign(pages, cleaned.updates, store, cpu_map=cluster_map)
    pages_in, stories_in = len(stories.assignments), len({a.article_id for a in stories.assignments.values()})
    get_run_logger().info("%s article pages in %s stories", pages_in, stories_in)
    return stories


@task(cache_policy=NO_CACHE)
def load(store: Store, **run) -> dict[str, RunReport]:
    return store.load_run(**run)


@task(cache_policy=NO_CACHE)
def analyse(store: Store, settings: RunSettings) -> int:
    count = analyse_stories(store, settings.workers, progress.Step("analyse").progress, cpu_map=cluster_map)
    get_run_logger().info("analysed %s stories", count)
    return count


@task(cache_policy=NO_CACHE)
def publish(store: Store) -> None:
    get_run_logger().info("refreshed the aggregates of %s stories", store.publish())


@task(cache_policy=NO_CACHE)
def dashboard(paths: Paths) -> None:
    """Rebuild DATA_DIR/dashboard.html from the published database; a failure is logged, the run stands."""
    try:
        build_dashboard(paths.db, paths.dashboard)
    except Exception as exc:  # noqa: BLE001 (the data are committed; `psynews dashboard` can rebuild the page)
        get_run_logger().warning("dashboard not rebuilt: %s", exc)


# -- flows -------------------------------------------------------------------


def crawl_all(sources: list[Source], paths: Paths, run_id: str, crawl_settings: dict[str, str],
              settings: RunSettings) -> dict[str, RunReport]:  # fmt: skip
    """Crawl every source at once; a failed crawl is reported, never stops the others."""
    step = progress.Step("crawl", total=len(sources))
    futures = {s.name: crawl_source.submit(s, paths, run_id, crawl_settings, settings) for s in sources}
    reports = {}
    for name, future in futures.items():
        state = future.wait() or future.state
        ok = state.is_completed()
        reports[name] = RunReport(name) if ok else RunReport.crawl_failed(name, str(state.message or "crawl failed"))
        step.advance(description=f"crawl ({name} done)")
        crash_point("crawl")
    return reports


def process(paths: Paths, store: Store, run_id: str, command: str, started_at: datetime, files: list[str],
            crawled: dict[str, RunReport] | None, settings: RunSettings,
            sources: list[Source]) -> dict[str, RunReport]:  # fmt: skip
    """extract -> clean -> dedupe -> load -> analyse -> publish, shared by run (``crawled``) and reprocess (None).

    ``sources`` give per-source cleaning settings (keep_promotional).
    """
    known = store if crawled is not None else None  # reprocess rebuilds from the raw store alone
    pages, fetched = extract(paths, files, settings)
    cleaned = clean(known, pages, frozenset(s.name for s in sources if s.keep_promotional))
    stories = dedupe(known, pages, cleaned)
    # A run reports what it crawled and fetched; a reprocess only what it loaded, and raw parts it quarantined.
    reports = flag_silent(merge_reports(crawled, fetched)) if crawled is not None else quarantined_only(fetched)
    reports = load(store, run_id=run_id, command=command, started_at=started_at, pages=pages, cleaned=cleaned,
                   stories=stories, files=files, reports=reports, rebuild=known is None)  # fmt: skip
    analyse(store, settings)
    publish(store)
    dashboard(paths)
    return reports


def selected(sources_file: str | None, only: list[str] | None) -> list[Source]:
    return [s for s in load_sources(sources_file) if not only or s.name in only]


# The flows run where PSYNEWS_RUNNER says when this module is imported (so served and deployed runs follow it);
# the CLI's --runner applies flow.with_options(task_runner=task_runner(...)).
@flow(name="psynews-run", task_runner=task_runner(), log_prints=True)
def run_flow(sources_file: str | None = None, data_dir: str = "data", db: str | None = None,
             crawl_settings: dict[str, str] | None = None, recheck_days: float = RUN.recheck_days,
             only: list[str] | None = None, raw: str | None = None, catalog: str | None = None,
             crawl: bool = True) -> dict[str, RunReport] | None:  # fmt: skip
    """Crawl every configured source, then extract, dedupe and load what is new.

    ``crawl=False`` loads what other crawls (a work pool's shards) wrote to the raw store.
    Returns None, doing nothing, when another run holds the data directory.
    """
    started_at = datetime.now(UTC)
    paths, settings = Paths.make(data_dir, db, raw, catalog), replace(RUN, recheck_days=recheck_days)
    sources = selected(sources_file, only)
    try:
        with run_lock(paths.data_dir, paths.catalog):
            store = Store(paths.db, paths.catalog).open()
            run_id = new_run_id()
            crawled = crawl_all(sources, paths, run_id, crawl_settings or {}, settings) if crawl else {}
            files = store.unloaded_files(paths.raw_dir)
            return process(paths, store, run_id, "run", started_at, files, crawled, settings, sources)
    except RunInProgress as exc:
        get_run_logger().warning(str(exc))
        return None


@flow(name="psynews-crawl", task_runner=task_runner())
def crawl_flow(sources_file: str | None = None, data_dir: str = "data", crawl_settings: dict[str, str] | None = None,
               recheck_days: float = RUN.recheck_days, only: list[str] | None = None, raw: str | None = None,
               shard: str | None = None) -> dict[str, RunReport] | None:  # fmt: skip
    """Crawl into the raw store only; a later run or reprocess loads it. None when another run is in progress.

    ``shard`` "I/N" crawls only the sources of shard I of N (crawler.config.shard_sources): N workers of a
    Prefect work pool, each running one shard, crawl every source once.
    """
    paths, settings = Paths.make(data_dir, raw=raw), replace(RUN, recheck_days=recheck_days)
    sources = selected(sources_file, only)
    # Shards of one crawl on one machine (two workers of a pool) must not lock each other out.
    lock_dir = paths.data_dir / "shards" / shard.replace("/", "-of-") if shard else paths.data_dir
    if shard:
        sources = shard_sources(sources, shard)
    try:
        with run_lock(lock_dir):
            return crawl_all(sources, paths, new_run_id(), crawl_settings or {}, settings)
    except RunInProgress as exc:
        get_run_logger().warning(str(exc))
        return None


@flow(name="psynews-reprocess", task_runner=task_runner())
def reprocess_flow(data_dir: str = "data", db: str | None = None, sources_file: str | None = None,
                   raw: str | None = None, catalog: str | None = None) -> dict[str, RunReport] | None:  # fmt: skip
    """Rebuild every page and story from the raw store, with no network. None when another run is in progress.

    The sources file gives per-source cleaning settings only (keep_promotional).
    """
    started_at = datetime.now(UTC)
    paths, sources = Paths.make(data_dir, db, raw, catalog), load_sources(sources_file)
    try:
        with run_lock(paths.data_dir, paths.catalog):
            store = Store(paths.db, paths.catalog).open()
            files = list_files(paths.raw_dir)
            return process(paths, store, new_run_id(), "reprocess", started_at, files, None, RUN, sources)
    except RunInProgress as exc:
        get_run_logger().warning(str(exc))
        return None
