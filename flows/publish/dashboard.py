"""The built-in dashboard: one self-contained HTML file from the public views.

``build_dashboard`` reads the public views (schema ``main``) of the database,
read-only, and writes one self-contained HTML file: Plotly.js, the page's own
script and the data are inlined, so it opens from disk with no network. The
data travel as JSON in a ``<script type="application/json">`` block and are
drawn in the browser, where the filters (date range, substance) redraw them;
text from crawled pages is only ever inserted as text (see
``assets/dashboard.js``). A Content-Security-Policy allows only the
page's own two scripts, by hash.

The export for other dashboard tools is flows.publish.export.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import math
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb

from crawler.atomic import atomic_path
from flows.publish.export import public_relations

ASSETS = Path(__file__).resolve().parent / "assets"
NEWEST_STORIES = 2000  # stories embedded for the "newest stories" table (the filters pick from these)
PLACEHOLDER = re.compile(r"\{\{([A-Z]+)\}\}")
NO_DATA = "No data yet: run `psynews run` first."

# Every query reads the public API only (schema main), and only its aggregates kept as tables
# (sql/README.md, "Materialised aggregates"), so the page builds without recomputing history.
QUERIES = {
    "totals": """
        select
            count(*) as stories,
            count(distinct source) as sources,
            min(published_date) as first_date,
            max(published_date) as last_date,
            (select max(finished_at) from main.runs where command = 'run') as last_run_at
        from main.article_index
    """,
    # stories per month and topic, with the month's total of relevant stories (topics_by_month)
    "topics": """
        select strftime(month, '%Y-%m') as month, topic_id, kind, label, stories, all_stories, share
        from main.topics_by_month
        where kind in ('substance', 'condition')
        order by month, kind, topic_id
    """,
    "month_totals": """
        select distinct strftime(month, '%Y-%m') as month, all_stories
        from main.topics_by_month
        order by month
    """,
    "topic_labels": """
        select distinct topic_id, kind, label
        from main.topics_by_month
        where kind in ('substance', 'condition')
        order by kind, label
    """,
    # relevant stories mentioning both a substance and a condition, per month (the heat map)
    "pairs": """
        select strftime(month, '%Y-%m') as month, substance, condition, stories
        from main.topic_pairs_by_month
        order by all
    """,
    # claims of relevant stories per month, substance and type (claims_by_month), hedged claims from its share
    "claims": """
        select strftime(month, '%Y-%m') as month, coalesce(substance, '-') as substance, claim_type,
               sum(claims)::bigint as claims,
               sum(round(claims * hedged_share))::bigint as hedged,
               sum(round(claims * hype_share))::bigint as hype
        from main.claims_by_month
        group by all
        order by all
    """,
    # efficacy and safety claims citing nothing (unsupported_claims), in the relevant stories of claims_by_month
    "unsupported": """
        select strftime(month, '%Y-%m') as month, coalesce(substance, '-') as substance, claim_type,
               sum(claims - evidence_claims)::bigint as claims
        from main.claims_by_month
        where claim_type in ('efficacy', 'safety')
        group by all
        having sum(claims - evidence_claims) > 0
        order by all
    """,
    "hype": """
        select strftime(month, '%Y-%m') as month, substance, term, uses
        from main.hype_terms_by_month
        order by all
    """,
    "studies": """
        select study_key, first_author, year, title, journal, substance, condition, is_retracted,
               retraction_date, citing_stories, first_cited_date, last_cited_date
        from main.studies
        where citing_stories > 0
        order by citing_stories desc, study_key
    """,
    "studies_by_month": """
        select strftime(month, '%Y-%m') as month, study_key, citing_stories
        from main.studies_by_month
        order by month, study_key
    """,
    "stories": f"""
        select article_id, published_date, source, title, url, substances
        from main.article_index
        order by published_date desc nulls last, first_seen_at desc, article_id
        limit {NEWEST_STORIES}
    """,
}

HEALTH_COLUMNS = ("source", "status", "last_success_at", "pages_fetched", "new_articles", "errors",
                  "not_modified_share", "empty_extractions", "missing_dates", "missing_dates_share",
                  "days_since_new_article")  # fmt: skip


class DashboardError(RuntimeError):
    """The database cannot feed a dashboard (not a psynews database)."""


# -- queries -------------------------------------------------------------------


def _plain(value):
    """A JSON-ready value: dates and times as ISO strings, decimals as floats, lists and maps recursively."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    result = con.execute(sql)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, map(_plain, row), strict=True)) for row in result.fetchall()]


def collect(con: duckdb.DuckDBPyConnection) -> dict:
    """Everything the page shows, from the public views; the source_health panel only when the view exists."""
    if "articles" not in public_relations(con):
        raise DashboardError("not a psynews database: it has no articles view")
    data = {name: _rows(con, sql) for name, sql in QUERIES.items()}
    data["totals"] = data["totals"][0]
    data["source_health"] = None
    if "source_health" in public_relations(con):
        rows = _rows(con, "select * from main.source_health order by source")
        columns = [c for c in HEALTH_COLUMNS if rows and c in rows[0]] or (list(rows[0]) if rows else [])
        data["source_health"] = {"columns": columns, "rows": [{c: r.get(c) for c in columns} for r in rows]}
    data["generated_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return data


# -- the page -----------------------------------------------------------------


def _json_for_html(data: dict) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' can end it or open a comment."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _csp(*scripts: str) -> str:
    hashes = " ".join(_csp_hash(s) for s in scripts)
    # Only our own scripts run (by hash: an injected <script> cannot), nothing is fetched, no form posts.
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'")  # fmt: skip


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    js = get_plotlyjs()
    if "</script" in js.lower():  # would end the inline element early
        raise DashboardError("the Plotly bundle contains '</script' and cannot be inlined")
    return js


def render(data: dict | None) -> str:
    """The HTML page for ``data`` (None or no stories: the no-data page)."""
    css = (ASSETS / "dashboard.css").read_text()
    if not data or not data["totals"]["stories"]:
        parts = {"CSS": css, "MESSAGE": NO_DATA.replace("`psynews run`", "<code>psynews run</code>")}
        return PLACEHOLDER.sub(lambda m: parts[m.group(1)], (ASSETS / "empty.html").read_text())
    plotly_js = _plotly_js()
    app_js = (ASSETS / "dashboard.js").read_text()
    parts = {"CSS": css, "CSP": _csp(plotly_js, app_js), "DATA": _json_for_html(data), "PLOTLY": plotly_js,
             "APP": app_js}  # fmt: skip
    # One pass over the template: nothing inserted (the data least of all) is searched for placeholders again.
    return PLACEHOLDER.sub(lambda m: parts[m.group(1)], (ASSETS / "dashboard.html").read_text())


def build_dashboard(db_path: Path, out: Path) -> Path:
    """Write the dashboard of the database at ``db_path`` to ``out`` (whole or not at all); return ``out``.

    A missing or empty database gives a page saying there is no data yet.
    """
    db_path, out = Path(db_path), Path(out)
    data = None
    if db_path.exists():
        with duckdb.connect(str(db_path), read_only=True) as con:
            data = collect(con)
    with atomic_path(out) as tmp:
        tmp.write_text(render(data), encoding="utf-8")
    return out


# -- serve ----------------------------------------------------------------------


class _OneFile(BaseHTTPRequestHandler):
    """Serves the dashboard file at / and nothing else (the data directory holds the database)."""

    def __init__(self, *args, path: Path, **kwargs):
        self.path_to_serve = path
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.path.split("?")[0] not in ("/", f"/{self.path_to_serve.name}"):
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        body = self.path_to_serve.read_bytes()  # read on every request: a finished run's rebuild shows at once
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def make_server(path: Path, port: int = 8050) -> ThreadingHTTPServer:
    """An HTTP server for the dashboard file, bound to 127.0.0.1 only (port 0: any free port)."""
    return ThreadingHTTPServer(("127.0.0.1", port), partial(_OneFile, path=Path(path)))


def serve_dashboard(path: Path, port: int = 8050) -> None:
    """Serve the dashboard on http://127.0.0.1:PORT/ until interrupted."""
    with make_server(path, port) as httpd:
        print(f"Serving {path} at http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl+C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
