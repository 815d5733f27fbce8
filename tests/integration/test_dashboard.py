"""The dashboard in a real browser: headless Chromium, driven over the Chrome DevTools Protocol.

The database comes from a real run over the fixture site plus one page whose
title carries a <script>: crawled text must show as text and never run.
Set PSYNEWS_SCREENSHOT=docs/dashboard.png to refresh the README's screenshot.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import duckdb
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect

from flows.publish.dashboard import build_dashboard, make_server
from flows.publish.export import export_views
from tests.conftest import FAST_CRAWL, harbor_sources, run_cli, write_sources

CHARTS = ["chart-substances", "chart-conditions", "chart-heatmap", "chart-claims", "chart-hype", "chart-studies",
          "chart-study-trend"]  # fmt: skip
XSS = "<script>window.__pwned=1</script>"
HYPE_PATH = "/news/psilocybin-breakthrough/"
HYPE_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>&lt;script&gt;window.__pwned=1&lt;/script&gt; Psilocybin: the breakthrough that cures depression</title>
<meta property="og:title" content="&lt;script&gt;window.__pwned=1&lt;/script&gt; Psilocybin: the breakthrough that cures depression">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2024-06-18T09:00:00+00:00">
</head><body><main><article>
<h1>&lt;script&gt;window.__pwned=1&lt;/script&gt; Psilocybin: the breakthrough that cures depression</h1>
<p>Psilocybin therapy is a breakthrough that cures depression after a single session, the retreat's founder told
visitors at an open evening in June. Guests heard that one dose fixes years of treatment-resistant depression and
that the experience rewires the brain for good.</p>
<p>The founder said psilocybin is completely safe and has no side effects when it is taken in the right setting,
and that the retreat's programme is proven to heal anxiety as well as depression. Psilocybin permanently relieves
depression, the brochure adds, and a second session is rarely needed.</p>
<p>Clinicians who run regulated psilocybin trials for major depression were more careful. Results so far come from
a few hundred patients followed for months rather than years, and the treatment is not approved outside studies
and a handful of state programmes.</p>
<p>The brochure also quotes an MDMA analysis as proof that psychedelic therapy works (Mithoefer et al., 2019,
Psychopharmacology, doi:10.1007/s00213-019-05249-5), a paper the journal has since retracted.</p>
</article></main></body></html>"""


# -- a database from the fixture site -------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory, site, prefect_harness) -> Path:
    data_dir = tmp_path_factory.mktemp("dashboard-data")
    site.extra[HYPE_PATH] = (200, {"Content-Type": "text/html; charset=utf-8"}, HYPE_PAGE)
    sources = write_sources(
        data_dir.parent / "dashboard-sources.toml",
        harbor_sources(site).replace('start_urls = ["', f'start_urls = ["{site.base}{HYPE_PATH}", "'),
    )
    result = run_cli("run", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL)
    assert result.exit_code == 0, result.output
    return data_dir / "psynews.duckdb"


def sql(db: Path, query: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query).fetchall()


def one(db: Path, query: str):
    [(value,)] = sql(db, query)
    return value


@pytest.fixture(scope="module")
def dashboard(fixture_db, tmp_path_factory) -> Path:
    return build_dashboard(fixture_db, tmp_path_factory.mktemp("dashboard") / "dashboard.html")


# -- headless Chromium over the DevTools Protocol --------------------------------------------------------


class Chromium:
    """One headless Chromium; ``open`` loads a page and records its console errors and uncaught exceptions."""

    def __init__(self, profile: Path):
        binary = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
        if binary is None:
            pytest.fail("Chromium is required for the dashboard tests: apt-get install chromium (make test does)")
        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
             "--remote-debugging-port=0", "--remote-allow-origins=*", f"--user-data-dir={profile}",
             "--window-size=1400,1000", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                pytest.fail("Chromium did not start (no DevTools port)")
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            page = next(t for t in json.load(response) if t["type"] == "page")
        self.ws = ws_connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=10)
        self.ids = itertools.count(1)
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")

    def call(self, method: str, timeout: float = 30, **params) -> dict:
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == msg_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event.get("method") == method:
                    self.events.remove(event)
                    return event
            self.events.append(json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic()))))

    def eval(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, path: Path, ready: str = "true") -> None:
        self.events.clear()
        self.call("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        deadline = time.monotonic() + 20
        while not self.eval(ready):
            assert time.monotonic() < deadline, f"page never became ready: {ready}"
            time.sleep(0.05)

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser-logged errors (CSP, network) since the last open."""
        self.call("Runtime.evaluate", expression="0")  # flush pending events
        found = []
        for event in self.events:
            params = event.get("params", {})
            if event.get("method") == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                found.append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
            elif event.get("method") == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append(details.get("exception", {}).get("description") or details.get("text"))
            elif event.get("method") == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(params["entry"]["text"])
        return found

    def screenshot(self, out: Path, width: int = 1400) -> Path:
        height = int(self.eval("document.documentElement.scrollHeight"))
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        self.eval("new Promise((done) => requestAnimationFrame(() => setTimeout(done, 300)))")  # charts relayout
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        out.write_bytes(base64.b64decode(shot["data"]))
        self.call("Emulation.clearDeviceMetricsOverride")
        return out

    def close(self) -> None:
        if hasattr(self, "ws"):
            with contextlib.suppress(ConnectionClosed, TimeoutError, RuntimeError, OSError):  # already gone
                self.call("Browser.close", timeout=5)
                self.ws.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


READY = "document.body.dataset.ready === 'true'"


@pytest.fixture
def page(browser, dashboard):
    browser.open(dashboard, READY)
    return browser


def figure(browser: Chromium, testid: str, attribute: str | None = None):
    selector = json.dumps(f'[data-testid="{testid}"]')
    if attribute:
        return browser.eval(f"document.querySelector({selector}).dataset.{attribute}")
    return browser.eval(f"document.querySelector({selector}).textContent")


def choose(browser: Chromium, select_id: str, value: str) -> None:
    browser.eval(f"""(() => {{ const s = document.getElementById({json.dumps(select_id)});
        s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change')); }})()""")


# -- the tests ------------------------------------------------------------------------------------------


def test_every_chart_renders_with_data_and_no_console_errors(page, tmp_path):
    assert page.errors() == []
    for chart in CHARTS:
        rendered = page.eval(f"""(() => {{
            const el = document.querySelector('[data-testid="{chart}"]');
            return {{
                plot: el.classList.contains('js-plotly-plot') && !!el.querySelector('.main-svg'),
                traces: (el._fullData || []).length,
                marks: el.querySelectorAll('.trace .point, .trace path.js-line, .hm').length,
                points: Number(el.dataset.points),
            }};
        }})()""")
        assert rendered["plot"], chart
        assert rendered["traces"] > 0, chart
        assert rendered["marks"] > 0, chart
        assert rendered["points"] > 0, chart
    shot = page.screenshot(tmp_path / "dashboard.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000
    if target := os.environ.get("PSYNEWS_SCREENSHOT"):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)


def test_figures_on_the_page_equal_the_sql_views(page, fixture_db):
    db = fixture_db
    assert int(figure(page, "total-stories").replace(",", "")) == one(db, "select count(*) from articles")
    assert int(figure(page, "total-stories", "value")) == one(db, "select count(*) from articles")
    relevant = one(db, "select sum(all_stories) from (select distinct month, all_stories from topics_by_month)")
    assert int(figure(page, "selected-stories")) == relevant
    substance_stories = one(db, "select sum(stories) from topics_by_month where kind = 'substance'")
    assert int(figure(page, "chart-substances", "total")) == substance_stories
    condition_stories = one(db, "select sum(stories) from topics_by_month where kind = 'condition'")
    assert int(figure(page, "chart-conditions", "total")) == condition_stories
    claims = one(db, "select sum(claims) from claims_by_month")
    assert int(figure(page, "chart-claims", "total")) == claims == int(figure(page, "selected-claims"))
    assert int(figure(page, "chart-studies", "total")) == one(db, "select sum(citing_stories) from studies")
    hype = one(db, "select count(*) from (select unnest(hype_cues) from claims where article_id in"
                   " (select article_id from topic_mentions where is_relevant))")  # fmt: skip
    assert int(figure(page, "chart-hype", "total")) == hype > 0
    rows = page.eval("document.querySelectorAll('#stories-body tr').length")
    assert rows == min(25, one(db, "select count(*) from articles"))


def test_filters_redraw_the_charts_with_the_matching_numbers(page, fixture_db):
    db = fixture_db
    choose(page, "f-substance", "psilocybin")
    assert int(figure(page, "chart-substances", "total")) == one(
        db, "select sum(stories) from topics_by_month where topic_id = 'psilocybin'"
    )
    assert int(figure(page, "chart-claims", "total")) == one(
        db, "select coalesce(sum(claims), 0) from claims_by_month where substance = 'psilocybin'"
    )
    titles = page.eval("[...document.querySelectorAll('#stories-body .story-title')].map((td) => td.textContent)")
    expected = sql(db, "select distinct a.title from articles a join topic_mentions t using (article_id)"
                       " where t.topic_id = 'psilocybin'")  # fmt: skip
    assert sorted(titles) == sorted(t for (t,) in expected)
    choose(page, "f-substance", "")
    month = one(db, "select strftime(min(month), '%Y-%m') from topics_by_month")
    choose(page, "f-from", month)
    choose(page, "f-to", month)
    assert int(figure(page, "selected-stories")) == one(
        db, f"select max(all_stories) from topics_by_month where strftime(month, '%Y-%m') = '{month}'"
    )
    assert int(figure(page, "chart-substances", "total")) == one(
        db,
        f"select sum(stories) from topics_by_month where kind = 'substance' and strftime(month, '%Y-%m') = '{month}'",
    )
    assert page.errors() == []


def test_most_cited_studies_mark_the_retracted_ones(page, fixture_db):
    retracted = {
        key for (key,) in sql(fixture_db, "select study_key from studies where is_retracted and citing_stories > 0")
    }
    assert retracted  # the hype page cites a retracted paper
    bars = page.eval("""(() => {
        const el = document.querySelector('[data-testid="chart-studies"]');
        const bar = el._fullData[0];
        return bar.y.map((key, i) => [key, bar.marker.color[i], bar.x[i]]);
    })()""")
    citing = dict(sql(fixture_db, "select study_key, citing_stories from studies where citing_stories > 0"))
    assert {key: n for key, _, n in bars} == citing
    assert {key for key, color, _ in bars if color == "#c0392b"} == retracted
    assert "retracted" in figure(page, "chart-studies")


def test_crawled_script_in_a_title_is_shown_as_text_and_never_runs(page, fixture_db):
    [(title, url)] = sql(fixture_db, f"select title, url from articles where url like '%{HYPE_PATH}'")
    assert XSS in title  # the crawled page really carries the script into the database
    assert page.eval("typeof window.__pwned") == "undefined"
    assert page.eval("document.querySelectorAll('body script').length") == 3  # the data, Plotly, the page's own
    assert page.eval("document.querySelectorAll('#stories-body script, #stories-body img').length") == 0
    cell = page.eval(f"""(() => {{
        const a = [...document.querySelectorAll('#stories-body a')].find((a) => a.href === {json.dumps(url)});
        return a && {{ text: a.textContent, href: a.getAttribute('href') }};
    }})()""")
    assert cell == {"text": title, "href": url}


def test_empty_database_says_there_is_no_data_yet(browser, tmp_path):
    from flows.store.db import connect

    db = tmp_path / "empty.duckdb"
    connect(db).close()  # a migrated psynews database without a story
    out = build_dashboard(db, tmp_path / "dashboard.html")
    browser.open(out, "document.readyState === 'complete'")
    assert browser.errors() == []
    text = browser.eval("document.querySelector('[data-testid=\"no-data\"]').textContent")
    assert "No data yet: run psynews run first." in text
    assert browser.eval("document.querySelectorAll('.js-plotly-plot').length") == 0
    # no database at all reads the same
    missing = build_dashboard(tmp_path / "missing.duckdb", tmp_path / "missing.html")
    assert "No data yet" in missing.read_text()


def test_export_writes_every_public_view_as_parquet(fixture_db, tmp_path):
    files = export_views(fixture_db, tmp_path / "export")
    names = {f.stem for f in files}
    views = {v for (v,) in sql(fixture_db, "select view_name from duckdb_views() where schema_name = 'main'"
                                           " and database_name = current_database() and not internal")}  # fmt: skip
    assert names == views | {"runs", "run_sources"}
    assert {"articles", "topics_by_month", "claims_by_month", "studies", "citations"} <= names
    for f in files:
        assert one(fixture_db, f"select count(*) from main.{f.stem}") == one(
            fixture_db, f"select count(*) from read_parquet('{f}')"
        ), f.stem
    assert not list((tmp_path / "export").glob(".*"))  # no temporary files left


def test_serve_binds_loopback_and_serves_only_the_dashboard(dashboard):
    import threading

    with make_server(dashboard, 0) as httpd:
        host, port = httpd.server_address[:2]
        assert host == "127.0.0.1"
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                assert response.read() == dashboard.read_bytes()
            with pytest.raises(HTTPError) as missing:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/psynews.duckdb", timeout=10)
            assert missing.value.code == 404
        finally:
            httpd.shutdown()
