"""URL identity: which URLs name the same page."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from courlan import normalize_url

# Session identifiers name a visitor, not a page (courlan drops "session..." names, not these).
SESSION_PARAM = re.compile(
    r"(?:phpsessid|jsessionid|sid|sessid|sessionid|session_id|aspsessionid\w*|asp\.net_sessionid|cfid|cftoken"
    r"|oscsid|zenid)",
    re.IGNORECASE,
)
# Java servlets put it in the path: /post;jsessionid=0A1B2C?p=2
SESSION_PATH_PARAM = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/?#;]*", re.IGNORECASE)


def is_http(url: str) -> bool:
    """Whether the URL is http or https, the only schemes psynews ever requests or trusts."""
    return urlsplit(url).scheme.lower() in ("http", "https")


def strip_session(url: str) -> str:
    """The URL without session identifiers, in its query or as a ;jsessionid= path parameter."""
    parts = urlsplit(url)
    path = SESSION_PATH_PARAM.sub("", parts.path)
    kept = [p for p in parts.query.split("&") if p and not SESSION_PARAM.fullmatch(p.split("=", 1)[0])]
    return parts._replace(path=path, query="&".join(kept)).geturl()


def clean_url(url: str) -> str:
    """The URL without tracking parameters (utm_*, fbclid, ...), session identifiers and fragment, query sorted."""
    url = strip_session(url)
    try:
        cleaned = normalize_url(url)
    except ValueError:
        cleaned = url
    return cleaned.split("#", 1)[0]


def url_key(url: str) -> str:
    """An identity key: scheme, case, trailing slash and tracking variants collapse.

    Paths are case-folded too: news sites do not serve different stories at
    URLs that differ only by case, and case variants are common in links.
    """
    parts = urlsplit(clean_url(url))
    host = (parts.hostname or "").removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/").lower()
    query = f"?{parts.query.lower()}" if parts.query else ""
    return f"{host}{port}{path}{query}"


def foreign_canonical(page_url: str, canonical: str | None) -> str | None:
    """A canonical URL on another host: the page says it is a copy of that one."""
    if not canonical:
        return None
    absolute = urljoin(page_url, canonical.strip())
    host = urlsplit(absolute).hostname
    if is_http(absolute) and host and host != urlsplit(page_url).hostname:
        return clean_url(absolute)
    return None


def resolve_canonical(page_url: str, canonical: str | None) -> str:
    """The page's own canonical URL, trusted only on the page's host and not the site root."""
    if canonical:
        absolute = urljoin(page_url, canonical.strip())
        same_host = urlsplit(absolute).hostname == urlsplit(page_url).hostname
        if same_host and urlsplit(absolute).path.strip("/") and is_http(absolute):
            return clean_url(absolute)
    return clean_url(page_url)
