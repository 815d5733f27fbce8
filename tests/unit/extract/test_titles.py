"""The headline a reader sees, without the site name <title> adds."""

from __future__ import annotations

import lxml.html
import pytest

from flows.clean.titles import retitle, source_site_names
from flows.extract.page import Page
from flows.extract.titles import page_title, strip_site_name

URL = "https://stillwater-clinic.example/blog/why-ketamine-works-fast/"


def title_of(head: str, body: str = "", url: str = URL) -> tuple:
    return page_title(lxml.html.fromstring(f"<html><head>{head}</head><body>{body}<p>Text.</p></body></html>"), url)


@pytest.mark.parametrize(
    ("head", "body", "headline"),
    [
        # The <h1> and what <title> adds around it.
        ("<title>Why Ketamine Works Fast - Mindpath Blog</title>", "<h1>Why Ketamine Works Fast</h1>", "Why Ketamine Works Fast"),
        # og:title carrying the suffix, og:site_name naming it (with or without "The").
        (('<title>Why Ketamine Works Fast | Courier</title><meta property="og:site_name" content="The Courier">'
         '<meta property="og:title" content="Why Ketamine Works Fast | Courier">'), "", "Why Ketamine Works Fast"),
        # "Site: Headline", the site named by og:site_name.
        ('<title>Courier: Why Ketamine Works Fast</title><meta property="og:site_name" content="Courier">', "",
         "Why Ketamine Works Fast"),
        # No <h1>, no og: the segment naming the host is the site.
        ("<title>Why Ketamine Works Fast \u2014 Stillwater Ketamine Clinic</title>", "", "Why Ketamine Works Fast"),
        # The site name on the page's only <h1> is no headline; the one in <article> is.
        ("<title>Dosing Explained \u2013 Mindpath</title>", "<h1>Mindpath</h1><article><h1>Dosing Explained</h1></article>",
         "Dosing Explained"),
    ],
)  # fmt: skip
def test_site_name_is_removed(head, body, headline):
    assert title_of(head, body)[0] == headline


@pytest.mark.parametrize(
    "title",
    [
        "MDMA-Assisted Therapy - What We Know",  # an unknown segment is part of the headline
        "Ketamine: Why It Works Fast",  # a colon inside a headline
        "Psilocybin vs. Placebo | A Closer Look at Blinding",
    ],
)
def test_headline_separators_alone_cut_nothing(title):
    assert title_of(f"<title>{title}</title>")[0] == title
    assert title_of(f"<title>{title}</title>", f"<h1>{title}</h1>")[0] == title


def test_raw_title_and_site_name_are_kept():
    _, raw, site = title_of(
        "<title>Why Ketamine Works Fast - Mindpath Blog</title>", "<h1>Why Ketamine Works Fast</h1>"
    )
    assert (raw, site) == ("Why Ketamine Works Fast - Mindpath Blog", "Mindpath Blog")


def test_site_name_shared_by_a_sources_titles_is_removed():
    titles = ["Microdosing Basics ~ Calm Corner", "What Is Ayahuasca ~ Calm Corner", "Ketamine 101 ~ Calm Corner"]
    names = source_site_names([("calm", t) for t in titles] + [("other", "One ~ Two")])
    assert names == {"calm": {"Calm Corner"}, "other": set()}
    pages = [Page(str(n), "calm", URL, None, 200, "k", title=t) for n, t in enumerate(titles)]
    retitle(pages, names)
    assert [p.title for p in pages] == ["Microdosing Basics", "What Is Ayahuasca", "Ketamine 101"]
    assert strip_site_name("Calm Corner Opens a Second Office", {"Calm Corner"}) == "Calm Corner Opens a Second Office"


def test_site_name_tie_goes_the_same_way_every_time():
    head = '<meta property="og:site_name" content="Al-Bawaba"><meta name="application-name" content="Al Bawaba">'
    assert title_of(head, "<h1>Trial results</h1>")[2] == "Al Bawaba"  # of two names of one length, the first in order
