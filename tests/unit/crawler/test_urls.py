"""URL identity: variants, meaningful queries, trusted canonicals."""

from __future__ import annotations

from crawler.urls import clean_url, foreign_canonical, resolve_canonical, url_key


def test_url_variants_share_a_key():
    variants = [
        "https://www.clinic.example/Blog/MDMA-Trial/",
        "http://clinic.example/blog/mdma-trial?utm_source=newsletter&utm_medium=email",
        "https://clinic.example/blog/mdma-trial#comments",
        "https://clinic.example:443/blog/mdma-trial/?fbclid=abc",
    ]
    assert {url_key(u) for u in variants} == {"clinic.example/blog/mdma-trial"}
    assert url_key("https://clinic.example/blog/mdma-trial?p=2") != url_key("https://clinic.example/blog/mdma-trial")


def test_clean_url_keeps_meaningful_query():
    assert clean_url("https://a.example/post?id=7&utm_campaign=x#top") == "https://a.example/post?id=7"


def test_canonical_only_trusted_on_same_host_and_not_root():
    page = "https://a.example/blog/x/?utm_source=y"
    assert resolve_canonical(page, "/blog/x/") == "https://a.example/blog/x/"
    assert resolve_canonical(page, "https://evil.example/blog/x/") == "https://a.example/blog/x/"
    assert resolve_canonical(page, "https://a.example/") == "https://a.example/blog/x/"


def test_session_identifiers_are_stripped():
    variants = [
        "https://clinic.example/blog/trial?PHPSESSID=9f8e7d6c",
        "https://clinic.example/blog/trial;jsessionid=0A1B2C3D4E",
        "https://clinic.example/blog/trial;JSESSIONID=0A1B2C3D4E?sid=77",
        "https://clinic.example/blog/trial?sessionid=abc&ASP.NET_SessionId=xyz",
        "https://clinic.example/blog/trial?ASPSESSIONIDQQGGQRTD=KLMNOP&utm_source=x",
    ]
    assert {clean_url(u) for u in variants} == {"https://clinic.example/blog/trial"}
    assert {url_key(u) for u in variants} == {"clinic.example/blog/trial"}
    # Parameters that only look alike are kept: they name the page.
    assert url_key("https://clinic.example/search?s=ketamine&side=left") == "clinic.example/search?s=ketamine&side=left"


def test_canonicals_are_trusted_only_over_http():
    page = "https://a.example/blog/x/"
    assert resolve_canonical(page, "file:///blog/y/") == page
    assert resolve_canonical(page, "httpx://a.example/blog/y/") == page
    assert foreign_canonical(page, "ftp://b.example/x/") is None
    assert foreign_canonical(page, "HTTPS://b.example/x/") == "https://b.example/x/"
