"""A real HTTP server on 127.0.0.1 serving tests/fixtures/site, recording every request.

Paths match case-insensitively and ignore the query string, like many real
sites, so one page answers at several URL variants. ``{BASE}`` in XML and
text files becomes the server's own address. ``/go/<host-port>`` redirects
to the same path on another host, for the off-host redirect test.

Files are served with an ``ETag`` (a hash of the body) and ``Last-Modified``
(when the server started, or when ``rewrite`` last changed the page), and a
conditional request that matches gets ``304 Not Modified``, as real sites do.
``rewrite(path, body)`` changes what a page serves, for the edited-story tests.
``extra`` maps a path to a canned response (status, headers, body), or to a list of
them served in turn, the last one from then on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
import uuid
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from crawler.raw_store import RawRecord

SITE = Path(__file__).parent / "fixtures" / "site"
# No politeness delays against our own loopback server (tests, benchmarks); everything else as shipped.
NO_DELAY = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_START_DELAY": "0", "AUTOTHROTTLE_MAX_DELAY": "1"}
TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8"}
Canned = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class Hit:
    host: str
    path: str
    conditional: bool = False  # sent If-None-Match or If-Modified-Since
    status: int = 200


def site_record(path: str, source: str = "harbor") -> RawRecord:
    """A raw-store record of a fixture page as if fetched from https://<source>.example<path>, for unit tests."""
    body = (SITE / path.strip("/") / "index.html").read_bytes()
    url = f"https://{source}.example{path}"
    return RawRecord(
        uuid.uuid4().hex, source, "page", url, url, 200, {"content-type": "text/html; charset=utf-8"}, body
    )


class SiteServer:
    def __init__(self, root: Path = SITE, host: str = "127.0.0.1"):
        self.root = root
        self.hits: list[Hit] = []
        self.extra: dict[str, Canned | list[Canned]] = {}  # path -> canned response(s)
        self.bodies: dict[str, bytes] = {}  # path -> body served instead of the file's (see rewrite)
        self.modified: dict[str, float] = {}  # path -> when rewrite changed it
        self.started = time.time()
        self.httpd = ThreadingHTTPServer((host, 0), self._handler())
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def canned(self, path: str) -> Canned:
        found = self.extra[path]
        if isinstance(found, list):
            return found.pop(0) if len(found) > 1 else found[0]
        return found

    def rewrite(self, path: str, body: bytes) -> None:
        """Serve ``body`` at ``path`` from now on (its ETag and Last-Modified change with it)."""
        self.bodies[path.lower()] = body
        self.modified[path.lower()] = time.time() + 1  # Last-Modified has whole seconds

    def _fresh(self, headers, etag: str, modified: float) -> bool:
        """Whether a conditional request's copy is current (If-None-Match wins over If-Modified-Since)."""
        if (tags := headers.get("If-None-Match")) is not None:
            return etag in [t.strip() for t in tags.split(",")] or tags.strip() == "*"
        if since := headers.get("If-Modified-Since"):
            try:
                return int(modified) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def find(self, path: str) -> Path | None:
        """Case-insensitive lookup of a URL path in the site folder."""
        current = self.root
        for segment in [s for s in path.split("/") if s]:
            matches = [c for c in current.iterdir() if c.name.lower() == segment.lower()] if current.is_dir() else []
            if not matches:
                return None
            current = matches[0]
        if current.is_dir():
            current = current / "index.html"
        return current if current.is_file() else None

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
                hit = Hit(self.headers.get("Host", ""), self.path, conditional)
                if path in server.extra:
                    status, headers, body = server.canned(path)
                    server.hits.append(dataclasses.replace(hit, status=status))
                    return self._send(status, headers, body)
                file = server.find(path)
                if file is None:
                    server.hits.append(dataclasses.replace(hit, status=404))
                    return self._send(404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>")
                body = server.bodies.get(path.lower()) or file.read_bytes()
                if file.suffix in (".xml", ".txt"):
                    body = body.replace(b"{BASE}", server.base.encode())
                modified = server.modified.get(path.lower(), server.started)
                etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
                validators = {"ETag": etag, "Last-Modified": formatdate(int(modified), usegmt=True)}
                if server._fresh(self.headers, etag, modified):
                    server.hits.append(dataclasses.replace(hit, status=304))
                    return self._send(304, validators, b"")
                server.hits.append(hit)
                self._send(
                    200, {"Content-Type": TYPES.get(file.suffix, "application/octet-stream"), **validators}, body
                )

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # keep test output clean
                pass

        return Handler


if __name__ == "__main__":  # serve by hand: python tests/site_server.py
    import time

    with SiteServer() as s:
        print(s.base, flush=True)
        while True:
            time.sleep(3600)
