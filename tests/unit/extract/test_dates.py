"""A page is dated by what it states about itself, never by its footer, comments or related posts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html

from flows.extract.dates import find_dates

FETCHED = datetime(2025, 1, 15, 8, tzinfo=UTC)
BODY = "<p>Researchers followed the patients for six weeks after the last session of the trial.</p>"
FURNITURE = """
<aside class="related-posts"><h3>Related</h3><a href="/a">Older post</a> <span class="date">January 8, 2023</span></aside>
<div id="comments"><div class="comment-meta"><time datetime="2024-07-02T09:41">July 2, 2024 at 9:41 am</time></div>
<p>Great read.</p><span class="comment-date">August 14, 2024</span></div>
<footer><p class="copyright">Copyright &copy; 2023 Example Blog</p><p>Updated 2024-02-01</p></footer>
"""


def dates(body: str, head: str = "", url: str = "https://blog.example/ketamine-guide/"):
    html = f"<html><head>{head}</head><body><article><h1>Ketamine guide</h1>{body}</article>{FURNITURE}</body></html>"
    return find_dates(lxml.html.fromstring(html), url, FETCHED)


def test_copyright_related_and_comment_dates_never_date_a_page():
    found = dates(BODY)
    assert (found.published, found.source) == (None, None)


def test_visible_dateline_dates_the_page():
    found = dates(f'<p class="posted-on">Posted on <time datetime="2024-03-12">March 12, 2024</time></p>{BODY}')
    assert (found.published, found.source) == (date(2024, 3, 12), "text")
    found = dates(f'<p class="byline">By Dana Whitfield | March 12, 2024</p>{BODY}')
    assert (found.published, found.source) == (date(2024, 3, 12), "text")


def test_structured_dates_come_first():
    head = '<meta property="article:published_time" content="2024-05-01T08:00:00Z">'
    assert dates(BODY, head).published == date(2024, 5, 1)
    assert dates(BODY, url="https://blog.example/2024/04/30/ketamine-guide/").source == "url"


def test_a_date_mentioned_in_the_story_is_not_its_publication_date():
    found = dates("<p>The trial began on March 3, 2021, and ended in the spring of 2023.</p>" + BODY)
    assert found.published is None
