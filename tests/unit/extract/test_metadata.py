"""Metadata searched only where it can be found gives what trafilatura's full search gives."""

from __future__ import annotations

import lxml.html
import pytest
from trafilatura.metadata import extract_author, extract_catstags

from flows.extract.metadata import byline, catstags
from tests.fixtures import fidelity_facts as facts

URL = "https://tidewater-courier.example/2024/05/psilocybin-trial-results/"


def page(body: str, head: str = "") -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<html><head><title>Trial results</title>{head}</head><body>{body}</body></html>")


PAGES = {
    "byline and links": page(
        '<header><span class="author-name">Dana Okafor</span></header><article><p>Psilocybin trial text.</p>'
        '<div class="entry-meta"><a href="/category/research/">Research</a> <a href="/tag/psilocybin/">Psilocybin</a>'
        "</div></article>"
    ),
    # The byline inside a comment block and a <time>: both are pruned before the search.
    "byline in comments": page(
        '<article><p>Text.</p><time><span class="author">Not Her</span></time></article>'
        '<div id="comments"><div class="author">Commenter Name</div></div><p class="byline">By Ren Takeda</p>'
    ),
    "no byline, no links": page("<article><h1>Trial results</h1><p>Just text, no names.</p></article>"),
    "links elsewhere": page(
        '<nav><a href="/topics/">Topics</a></nav><div class="tags"><a href="/about/">About</a></div>'
    ),
    "section meta": page("<p>Text.</p>", '<meta property="article:section" content="Science">'),
}


@pytest.mark.parametrize("name", PAGES)
def test_byline_is_trafilaturas_author(name):
    expected = extract_author(PAGES[name])
    assert byline(page_copy(PAGES[name])) == expected


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("kind", ["category", "tag"])
def test_categories_and_tags_are_trafilaturas(name, kind):
    assert catstags(kind, PAGES[name]) == extract_catstags(kind, PAGES[name])


def test_expected_values():
    tree = PAGES["byline and links"]
    assert byline(page_copy(tree)) == "Dana Okafor"
    assert (catstags("category", tree), catstags("tag", tree)) == (["Research"], ["Psilocybin"])
    assert byline(page_copy(PAGES["byline in comments"])) == "Ren Takeda"
    assert catstags("category", PAGES["section meta"]) == ["Science"]


def test_fixture_pages_match_trafilatura():
    for record in facts.records():
        tree = lxml.html.fromstring(record.body)
        for kind in ("category", "tag"):
            assert catstags(kind, tree) == extract_catstags(kind, tree), (record.url, kind)
        expected = extract_author(tree)
        assert byline(tree) == expected, record.url  # last: byline prunes the tree


def page_copy(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(lxml.html.tostring(tree))
