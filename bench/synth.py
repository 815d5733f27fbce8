"""Synthetic psynews databases for the scale benchmarks, made in DuckDB SQL.

    uv run python bench/synth.py --stories 1000000 --db /tmp/synth.duckdb

N stories with distributions like the real ones: more stories every year
(2015-2026), 400 sources with a heavy head (a few wire services and big
outlets carry most stories), 10% of stories with a copy on another source, 10%
with no date of their own, relevance uniform 0-1 (70% count as relevant), 1-4
taxonomy topics per story with popular substances far more frequent, 0-4
claims per story by type (efficacy most, comparison least), and citations in
30% of stories, 80% of them resolving to a catalogue study. Every table the
views read is filled, plus MinHash signatures and LSH band rows: random
signatures for most stories, and real texts (random words) with their real
signatures for the first ``real_texts`` stories, so a benchmark can make
near-duplicates of them. Aggregates are left for the first refresh to build:
every story is marked dirty.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from flows.analyse.stage import reference_rows
from flows.dedupe.neardup import NUM_PERM, signature
from flows.store.db import connect
from flows.store.load import band_rows

SOURCES = 400
CHUNK = 100_000  # signatures per batch
VOCABULARY = [f"w{i}" for i in range(5000)]


def story_text(i: int, words: int = 300) -> str:
    """A text of random words, the same for the same i (the words of story i)."""
    rng = np.random.default_rng(i)
    ranks = np.minimum(rng.zipf(1.3, words), len(VOCABULARY)) - 1
    return " ".join(VOCABULARY[r] for r in ranks)


STORIES_SQL = """
create or replace temp table syn as
select
    i,
    md5('story' || i) as text_hash,
    -- a heavy head: source 0 carries most, source 399 least
    'source' || lpad(floor(pow(random(), 3) * {sources})::integer::varchar, 3, '0') as source,
    -- more stories every year: published day density grows linearly
    date '2015-01-01' + floor(sqrt(random()) * 4350)::integer as day,
    random() < 0.9 as has_date
from range({stories}) as r(i)
"""

# The story id as flows.dedupe.stories.article_id gives it: from the home page's canonical key.
STORY_ID_SQL = "alter table syn add column article_id varchar; update syn set article_id = left(sha1(source || '.example/story/' || i), 16)"


PAGES_SQL = """
insert into internal.pages by name
select
    'p' || i as page_id, source, 'https://' || source || '.example/story/' || i as url,
    (day + interval (floor(random() * 72)::integer) hour)::timestamptz as fetched_at, 200 as status,
    source || '.example/story/' || i as url_key, true as is_article,
    'https://' || source || '.example/story/' || i as canonical_url, source || '.example/story/' || i as canonical_key,
    'Story ' || i as title, case when has_date then day end as published_date,
    case when has_date then 'json-ld' end as date_source, 0.0 as spam_score, 'en' as language,
    300 as word_count, 'story ' || i as text, text_hash, article_id, 'home' as story_match, 1.0 as similarity
from syn
union all
select
    'c' || i, 'source' || lpad((399 - i % 50)::varchar, 3, '0'), 'https://copies.example/' || i,
    (day + interval 4 day)::timestamptz, 200, 'copies.example/' || i, true, 'https://copies.example/' || i,
    'copies.example/' || i, 'Story ' || i, day, 'meta', 0.0, 'en', 290, 'copy of story ' || i, md5('copy' || i),
    article_id, 'near duplicate', 0.85
from syn where i % 10 = 3
"""

ANALYSIS_SQL = """
insert into internal.analysed_articles select article_id, text_hash, 'synthetic', round(random(), 4) from syn;

insert into internal.article_topics
select article_id, topic_id, count(*)::integer, bool_or(n = 1)
from (
    select syn.article_id, n, topics[1 + floor(pow(random(), 2) * len(topics))::integer] as topic_id
    from (select *, 1 + floor(random() * 4) as k from syn) as syn, range(1, 5) as t(n),
        (select list(topic_id order by topic_id) as topics from internal.ref_topics)
    where n <= syn.k
)
group by all;

insert into internal.article_claims (article_id, claim_no, sentence_index, sentence, claim_type, secondary_type,
    substance, condition, polarity, strength, hedge_level, hedge_cues, hype_cues, attributed, evidence, confidence)
select
    article_id, n::integer, n::integer, 'Claim ' || n || ' of story ' || i,
    case when t < 0.40 then 'efficacy' when t < 0.60 then 'safety' when t < 0.75 then 'regulatory'
         when t < 0.85 then 'mechanism' when t < 0.90 then 'durability' when t < 0.95 then 'access_cost'
         else 'comparison' end,
    null, substances[1 + floor(pow(random(), 2) * len(substances))::integer],
    case when random() < 0.7 then conditions[1 + floor(pow(random(), 2) * len(conditions))::integer] end,
    case when random() < 0.85 then 'positive' else 'negative' end,
    case when random() < 0.5 then 'causal' when random() < 0.5 then 'conditional' else 'correlational' end,
    case when random() < 0.5 then 'none' when random() < 0.6 then 'low' else 'high' end,
    [], case when random() < 0.1 then ['breakthrough'] else [] end, random() < 0.3,
    case when e < 0.45 then 'none' when e < 0.65 then 'same_sentence' when e < 0.80 then 'nearby' else 'elsewhere' end,
    null  -- confidence (migration 7)
from (
    select syn.i, syn.article_id, n, random() as t, random() as e, substances, conditions
    from (select *, floor(random() * 5) as k from syn) as syn, range(4) as c(n),
        (select list(topic_id order by topic_id) filter (where kind = 'substance') as substances,
                list(topic_id order by topic_id) filter (where kind = 'condition') as conditions
         from internal.ref_topics)
    where n < syn.k
);

insert into internal.article_citations (article_id, citation_no, kind, raw, study_key, resolved_by)
select
    article_id, n::integer, 'reference', 'A paper cited by story ' || i,
    case when random() < 0.8 then studies[1 + floor(pow(random(), 2) * len(studies))::integer] end,
    case when random() < 0.6 then 'doi' else 'fuzzy' end
from (select *, 1 + floor(random() * 3) as k from syn) as syn, range(3) as c(n),
    (select list(study_key order by study_key) as studies from internal.ref_studies)
where syn.i % 10 < 3 and n < syn.k;

insert into runs
select 'run' || lpad(r::varchar, 3, '0'), 'run', timestamptz '2026-11-01' + interval (r) day,
    timestamptz '2026-11-01' + interval (r) day + interval 1 hour, {sources}, 0, 1000, 100, 10, 20, 5
from range(30) as t(r);

insert into run_sources (run_id, source, pages_fetched, new_articles, updated_articles, duplicates, errors, failed)
select 'run' || lpad(r::varchar, 3, '0'), 'source' || lpad(s::varchar, 3, '0'), 10, 1, 0, 0, (s % 7 = 0)::integer,
    s % 50 = 0 and r = 29
from range(30) as t(r), range({sources}) as u(s);

insert into internal.dirty_stories select article_id from syn;
"""


def _insert_signatures(con, text_hashes: list[str], signatures: np.ndarray) -> None:
    data = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(4 * NUM_PERM), len(text_hashes), [None, pa.py_buffer(signatures.astype("<u4").tobytes())]
    )
    con.register("new_signatures", pa.table({"text_hash": text_hashes, "signature": data}))
    con.execute("insert into internal.text_signatures select text_hash, signature::blob from new_signatures")
    con.unregister("new_signatures")
    con.register("new_bands", band_rows(dict(zip(text_hashes, signatures, strict=True))))
    con.execute("insert into internal.lsh_bands select band, bucket, text_hash from new_bands")
    con.unregister("new_bands")


def generate(db: Path, stories: int, real_texts: int = 1000, seed: float = 0.42) -> Path:
    """A fresh database at ``db`` holding ``stories`` synthetic stories; returns ``db``."""
    db = Path(db)
    db.unlink(missing_ok=True)
    rng = np.random.default_rng(int(seed * 1000))
    with connect(db) as con:
        topics, studies = reference_rows()
        con.register("topics", pa.Table.from_pylist(topics))
        con.execute("insert into internal.ref_topics by name select * from topics")
        con.register("studies", pa.Table.from_pylist(studies))
        con.execute("insert into internal.ref_studies by name select * from studies")
        con.execute("select setseed(?)", [seed])
        con.execute(STORIES_SQL.format(stories=stories, sources=SOURCES))
        con.execute(STORY_ID_SQL)
        con.execute(PAGES_SQL)
        con.execute(ANALYSIS_SQL.format(sources=SOURCES))
        # Real texts and their real signatures for the first stories; random signatures for the rest.
        real = min(real_texts, stories)
        texts = [story_text(i) for i in range(real)]
        con.execute(
            "update internal.pages set text = t.text from (select unnest(?) as text, unnest(range(?)) as i) as t"
            " where pages.page_id = 'p' || t.i",
            [texts, real],
        )
        hashes = [h for (h,) in con.execute("select text_hash from syn order by i").fetchall()]
        _insert_signatures(con, hashes[:real], np.stack([signature(t) for t in texts]))
        for start in range(real, stories, CHUNK):
            part = hashes[start : start + CHUNK]
            _insert_signatures(con, part, rng.integers(0, 2**32, (len(part), NUM_PERM), dtype=np.uint32))
        con.execute("checkpoint")
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/psynews-synth.duckdb"))
    args = parser.parse_args()
    start = time.perf_counter()
    generate(args.db, args.stories)
    size = args.db.stat().st_size / 2**20
    print(f"{args.stories} stories in {args.db}: {time.perf_counter() - start:.1f} s, {size:.0f} MB")


if __name__ == "__main__":
    main()
