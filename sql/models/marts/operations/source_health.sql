-- source_health: one row per source, from its latest run and its stories. Public API: see sql/README.md.
-- grain: source
create or replace view main.source_health as
with

run_sources as (
    select * from staging.stg_run_sources
),

crawl_runs as (
    select * from staging.stg_runs where command = 'run'
),

runs as (
    select
        run_sources.*,
        crawl_runs.started_at,
        crawl_runs.finished_at
    from run_sources
    inner join crawl_runs on run_sources.run_id = crawl_runs.run_id
),

latest as (
    select * from runs
    qualify row_number() over (partition by source order by started_at desc) = 1
),

successes as (
    select source, max(finished_at) as last_success_at
    from runs
    where not is_failed
    group by source
),

stories as (
    select * from internal.mat_source_stories
),

final as (
    select
        latest.source,
        latest.finished_at as last_run_at,
        successes.last_success_at,
        latest.pages_fetched,
        latest.new_articles,
        latest.errors,
        latest.errors_by_kind,
        latest.skipped,
        latest.not_modified,
        round(latest.not_modified / nullif(latest.pages_fetched + latest.not_modified, 0), 4) as not_modified_share,
        latest.empty_extractions,
        latest.quarantined_parts,
        coalesce(stories.articles, 0) as articles,
        round(stories.missing_dates_share, 4) as missing_dates_share,
        date_diff('day', stories.last_new_article_at, now()) as days_since_new_article,
        case
            when latest.is_failed then 'failing'
            when stories.last_new_article_at is null or date_diff('day', stories.last_new_article_at, now()) > {{ stale_after_days }}
                then 'stale'
            when latest.errors > 0 or latest.quarantined_parts > 0 then 'degraded'
            else 'ok'
        end as status
    from latest
    left join successes on latest.source = successes.source
    left join stories on latest.source = stories.source
)

select * from final;

comment on view main.source_health is 'One row per source that has run: how its latest run went and how fresh its stories are. Grain: source.';
comment on column main.source_health.source is 'The configured source.';
comment on column main.source_health.last_run_at is 'When its latest run finished (UTC).';
comment on column main.source_health.last_success_at is 'When its latest run that did not fail finished (UTC).';
comment on column main.source_health.pages_fetched is 'Pages fetched in the latest run.';
comment on column main.source_health.new_articles is 'New stories in the latest run.';
comment on column main.source_health.errors is 'Failed requests in the latest run.';
comment on column main.source_health.errors_by_kind is 'Those errors by kind: http_4xx, http_5xx, timeout, dns, connection, too_large, crawl_failed, other.';
comment on column main.source_health.skipped is 'Requests refused in the latest run by robots.txt or the source''s scope (scheme, host, port, address).';
comment on column main.source_health.not_modified is 'Rechecks answered 304 Not Modified in the latest run.';
comment on column main.source_health.not_modified_share is 'not_modified / (pages_fetched + not_modified).';
comment on column main.source_health.empty_extractions is 'HTML pages of the latest run with no main text worth keeping.';
comment on column main.source_health.quarantined_parts is 'Raw-store parts of this source found unreadable in the latest run and moved to raw/_quarantine/ (the files are named in run_sources.error_detail).';
comment on column main.source_health.articles is 'Stories whose home page is on this source.';
comment on column main.source_health.missing_dates_share is 'Share of those stories with no date of their own (date_source first_seen).';
comment on column main.source_health.days_since_new_article is 'Days since the source''s newest story was first seen.';
comment on column main.source_health.status is 'failing (latest run failed), stale (no new story in {{ stale_after_days }} days), degraded (errors or quarantined parts in the latest run), ok.';
