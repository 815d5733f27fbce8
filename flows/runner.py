"""Where a flow's tasks run: this machine (the default) or a Dask cluster, chosen by one setting.

``--runner`` / ``PSYNEWS_RUNNER``:
- ``local`` (default): tasks in threads of the flow's process; CPU stages (extract,
  analyse) in a process pool on this machine.
- ``dask://HOST:PORT``: Prefect's DaskTaskRunner on a running Dask scheduler
  (``dask scheduler`` on one machine, ``dask worker tcp://HOST:PORT`` on each).
  Crawl tasks run on the workers, and the CPU stages (extract, analyse,
  MinHash signatures) spread their chunks over the same cluster.
- ``dask-local:N``: a Dask cluster of N worker processes started for the flow on
  this machine (for trying it out, and for the tests).

On a cluster, every worker must reach the raw store (``s3://`` for several
machines) and have the same psynews installed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.settings import RUN


class RunnerError(ValueError):
    """A --runner value psynews cannot use."""


def task_runner(spec: str | None = None) -> TaskRunner:
    """The task runner named by ``spec`` (else PSYNEWS_RUNNER, else local)."""
    spec = spec or os.environ.get("PSYNEWS_RUNNER") or "local"
    if spec == "local":
        return ThreadPoolTaskRunner(max_workers=RUN.crawl_workers)  # crawls at once
    from prefect_dask import DaskTaskRunner

    if spec.startswith("dask://"):
        return DaskTaskRunner(address="tcp://" + spec.removeprefix("dask://"))
    if spec.startswith("dask-local:") and spec.removeprefix("dask-local:").isdigit():
        workers = int(spec.removeprefix("dask-local:"))
        # One thread per worker process: the stages are CPU-bound Python (the GIL).
        cluster = {"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
        return DaskTaskRunner(cluster_kwargs=cluster)
    raise RunnerError(f"--runner: expected local, dask://HOST:PORT or dask-local:N, got {spec!r}")


def cluster():
    """The Dask client of the running flow's task runner, or None when the flow runs on this machine alone."""
    context = FlowRunContext.get()
    if context is None or not type(context.task_runner).__module__.startswith("prefect_dask"):
        return None
    return context.task_runner.client


def cluster_map(fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any] | None:
    """fn over items on the flow's Dask cluster, results in order; None when there is no cluster."""
    client = cluster()
    if client is None:
        return None
    futures = client.map(fn, list(items), pure=False)

    def results() -> Iterator[Any]:
        for future in futures:
            yield future.result()
            future.release()  # the worker may drop it: results can be large (pages with their text)

    return results()
