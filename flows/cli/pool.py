"""Crawls sharded by source over the workers of a Prefect work pool.

``psynews crawl --pool NAME --shards N`` makes sure the process work pool and
the deployment ``psynews-crawl/sharded`` exist, starts N flow runs (shard 1/N
... N/N), and waits for them. Each machine runs ``prefect worker start --pool
NAME``; a worker takes a shard, crawls its sources in a subprocess each, and
writes the parts to the shared raw store (``--raw s3://...``). The deployment
names the flow by module (``flows.pipeline.crawl_flow``), so a worker needs
psynews installed, not this checkout at the same path.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

DEPLOYMENT = "sharded"
ENTRYPOINT = "flows.pipeline.crawl_flow"
POLL_SECONDS = 1.0


@dataclass
class ShardOutcome:
    shard: str
    state: str  # Prefect's state name: Completed, Failed, Crashed...
    message: str | None


def deploy(pool: str) -> str:
    """Create the process work pool and the crawl deployment when missing; return the deployment's name."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    from flows.pipeline import crawl_flow

    with get_client(sync_client=True) as client:
        with contextlib.suppress(ObjectAlreadyExists):
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        flow_id = client.create_flow_from_name(crawl_flow.name)
        client.create_deployment(flow_id=flow_id, name=DEPLOYMENT, work_pool_name=pool, entrypoint=ENTRYPOINT)
    return f"{crawl_flow.name}/{DEPLOYMENT}"


def crawl_on_pool(pool: str, shards: int, parameters: dict, timeout: float) -> list[ShardOutcome]:
    """Run one crawl flow per shard on the pool's workers and wait for all of them (a shard still going is Late)."""
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    name = deploy(pool)
    runs = {f"{i}/{shards}": run_deployment(name, parameters={**parameters, "shard": f"{i}/{shards}"}, timeout=0)
            for i in range(1, shards + 1)}  # fmt: skip
    deadline = time.monotonic() + timeout
    outcomes = []
    with get_client(sync_client=True) as client:
        for shard, run in runs.items():
            state = client.read_flow_run(run.id).state
            while not state.is_final() and time.monotonic() < deadline:
                time.sleep(POLL_SECONDS)
                state = client.read_flow_run(run.id).state
            outcomes.append(ShardOutcome(shard, state.name, state.message))
    return outcomes
