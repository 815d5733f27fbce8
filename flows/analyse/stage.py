"""The analyse stage's entry point: topics, claims and cited studies of every story whose text or rules changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flows.analyse.citations import load_studies
from flows.analyse.story import CpuMap, StoryText, analyse_all, flatten, rules_fingerprint
from flows.analyse.topics import load_taxonomy

if TYPE_CHECKING:
    from flows.store.stage import Store

STUDY_FIELDS = ("first_author", "year", "title", "journal", "doi", "pmid", "nct_id", "substance", "condition",
                "retracted", "retraction_date")  # fmt: skip


def reference_rows() -> tuple[list[dict], list[dict]]:
    """The topic taxonomy and the known studies, as rows for internal.ref_topics and internal.ref_studies."""
    topics = [{"topic_id": t.topic_id, "kind": t.kind, "label": t.label, "synonyms": list(t.synonyms)}
              for t in load_taxonomy()]  # fmt: skip
    studies = [{"study_key": s.key, **{f: getattr(s, f) for f in STUDY_FIELDS}} for s in load_studies()]
    return topics, studies


def analyse_stories(store: Store, workers: int | None = None, progress: Callable[[int, int], None] | None = None,
                    cpu_map: CpuMap | None = None) -> int:  # fmt: skip
    """Analyse and store every story whose text or rules changed since its last analysis; return how many.

    ``progress(done, total)`` is called after each chunk of stories; ``cpu_map`` (flows.runner.cluster_map)
    sends the chunks to a Dask cluster when the flow runs on one.
    """
    rules = rules_fingerprint()
    todo = [StoryText(a, h, title, text, tuple(links), published)
            for a, h, title, text, links, published in store.stories_to_analyse(rules)]  # fmt: skip
    analyses = []
    for chunk in analyse_all(todo, workers, cpu_map):
        analyses += chunk
        if progress:
            progress(len(chunk), len(todo))
    store.load_analysis(flatten(analyses), rules, *reference_rows())
    return len(todo)
