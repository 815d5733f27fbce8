"""Is a fetched page an article? What its URL and its layout say, before any text is extracted."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html

# Paths that name a site's furniture or an index, never a story.
SITE_PAGES = {
    "about",
    "about-us",
    "contact",
    "contact-us",
    "privacy",
    "privacy-policy",
    "terms",
    "login",
    "cart",
    "faq",
}
SECTIONS = {
    "blog",
    "news",
    "articles",
    "posts",
    "press",
    "press-releases",
    "research",
    "stories",
    "updates",
    "insights",
}
INDEXES = {
    "tag",
    "tags",
    "category",
    "categories",
    "topic",
    "topics",
    "author",
    "authors",
    "search",
    "archive",
    "archives",
}
PAGED = re.compile(r"^(page|p)$")


def url_reason(url: str) -> str | None:
    """Why the URL alone says this is no article, or None."""
    segments = [s.lower() for s in urlsplit(url).path.split("/") if s]
    if not segments:
        return "home page"
    if len(segments) == 1 and segments[0] in SITE_PAGES:
        return "site page"
    if len(segments) == 1 and segments[0] in SECTIONS:
        return "section index"
    if segments[0] in INDEXES and len(segments) <= 2:
        return "tag or category index"
    if len(segments) >= 2 and PAGED.match(segments[-2]) and segments[-1].isdigit():
        return "listing page"
    return None


ARTICLE_TYPES = re.compile(r'"@type"\s*:\s*\[?\s*"(\w*Article|BlogPosting|Report|Review)"')


def says_article(tree: lxml.html.HtmlElement) -> bool:
    """The page declares itself an article: og:type, JSON-LD, microdata or article:published_time."""
    if any(v.strip().lower() == "article" for v in tree.xpath('//meta[@property="og:type"]/@content')):
        return True
    if tree.xpath('//meta[@property="article:published_time"] | //*[contains(@itemtype, "Article")]'):
        return True
    return any(ARTICLE_TYPES.search(s.text or "") for s in tree.xpath('//script[@type="application/ld+json"]'))


def layout_reason(tree: lxml.html.HtmlElement) -> str | None:
    """Listings repeat a teaser block: several <article>s or several 'read more' links.

    Article pages have such blocks too (related posts), so a page that
    declares itself an article is taken at its word.
    """
    if says_article(tree):
        return None
    if len(tree.xpath("//article")) >= 3:
        return "listing page"
    read_more = [a for a in tree.xpath("//a") if (a.text_content() or "").strip().lower().startswith("read more")]
    if len(read_more) >= 3:
        return "listing page"
    return None


DATED = (
    '//meta[@property="article:published_time" or @itemprop="datePublished" or @name="date"]'
    " | //time[@datetime] | //*[@itemprop='datePublished']"
)


def is_marked_article(tree: lxml.html.HtmlElement) -> bool:
    """Marked up as one article: <article> or og:type article, a headline (<h1> or og:title) and a date.

    Such a page is a story however short (a news brief); listings fail the URL and
    layout checks before this is asked.
    """
    article = bool(tree.xpath("//article")) or any(
        v.strip().lower() == "article" for v in tree.xpath('//meta[@property="og:type"]/@content')
    )
    headline = bool(tree.xpath('//h1 | //meta[@property="og:title"]'))
    dated = bool(tree.xpath(DATED)) or '"datePublished"' in "".join(
        s.text or "" for s in tree.xpath('//script[@type="application/ld+json"]')
    )
    return article and headline and dated
