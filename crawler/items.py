from dataclasses import dataclass


@dataclass
class FetchedPage:
    """One response (or failed request), as the raw store keeps it."""

    kind: str  # page, feed, sitemap, error, skipped
    url: str
    request_url: str
    status: int | None
    headers: dict[str, str]
    body: bytes
    error: str | None = None
