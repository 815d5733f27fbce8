"""A real HTTP server on 127.0.0.1 whose pages are crawl hazards, recording every request.

Endpoints (the start page ``/`` links to all of them, and to two good articles):

- ``/5xx``: always 503
- ``/slow``: answers after ``slow_seconds`` (tests set a shorter DOWNLOAD_TIMEOUT)
- ``/reset``: closes the connection abruptly (RST, no response)
- ``/loop-a`` -> ``/loop-b`` -> ``/loop-a``: a redirect loop;
  ``/chain/<n>`` -> ``/chain/<n+1>``: an endless redirect chain of new URLs
- ``/missing``: 404
- ``/huge``: a 20 MB page with its Content-Length; ``/huge-stream``: the same with none
- ``/bomb``: a gzip bomb, ~200 KB on the wire that inflates to 200 MB of spaces
- ``/latin1``: declares ``charset=utf-8`` but sends latin-1 bytes
- ``/paper.pdf`` and ``/files/report`` (no extension): application/pdf
- ``/calendar/YYYY/MM/``: each month links to the next and the previous, forever
- ``/articles/<slug>``: ordinary articles, so the run has something to load
- ``/private/...``: pages a robots.txt may disallow

``robots`` is the robots.txt text to serve (None: 404); ``robots_delay`` makes
robots.txt hang that many seconds first.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import struct
import threading
import time
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit

HUGE_BYTES = 20 * 1024 * 1024
BOMB_BYTES = 200 * 1024 * 1024
LATIN1_WORDS = ("Médecine", "psychédélique", "thérapie", "à", "études")

ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:type" content="article"></head><body><header><nav><a href="/">Home</a></nav></header>
<main><article><h1>{title}</h1>{paragraphs}</article></main></body></html>"""

ARTICLES = {
    "psilocybin-depression": [
        "Researchers reported that a single supervised dose of psilocybin reduced depressive symptoms for weeks.",
        "The trial enrolled adults with treatment-resistant depression at several university clinics.",
        "Participants met therapists before and after the session to prepare and to integrate the experience.",
        "Side effects were mostly headaches and nausea that resolved within a day of dosing.",
        "Independent experts cautioned that larger and longer studies are needed before wider use.",
    ],
    "mdma-ptsd": [
        "Veterans living with post-traumatic stress disorder joined a second confirmatory study of MDMA therapy.",
        "Each of three dosing sessions lasted eight hours and was followed by integration visits.",
        "Regulators asked the sponsor for more data on abuse potential and on how blinding was maintained.",
        "Advocates for veterans argued that existing treatments leave too many patients without relief.",
        "The company said it would run an additional trial before submitting its application again.",
    ],
    "staff-notes": [
        "These internal notes list rota changes, parking arrangements and the quarterly fire drill.",
        "Staff should book the seminar room through the shared calendar rather than by email.",
        "The coffee machine on the second floor will be replaced by a newer model next month.",
    ],
}


def article(slug: str) -> bytes:
    title = slug.replace("-", " ").title()
    sentences = ARTICLES.get(slug, ARTICLES["staff-notes"])
    paragraphs = "".join(f"<p>{' '.join(sentences[i:] + sentences[:i])}</p>" for i in range(3))
    return ARTICLE.format(title=title, paragraphs=paragraphs).encode()


@cache
def huge_body() -> bytes:
    filler = b"<p>" + b"lorem ipsum dolor sit amet " * 40 + b"</p>\n"
    return (b"<html><body>" + filler * (HUGE_BYTES // len(filler) + 1))[:HUGE_BYTES]


@cache
def gzip_bomb() -> bytes:
    """BOMB_BYTES of spaces as gzip (about 200 KB): one 1 MB member, repeated (gzip allows many members)."""
    member = gzip.compress(b" " * (1 << 20), compresslevel=9)
    return gzip.compress(b"<html><body>") + member * (BOMB_BYTES >> 20)


def latin1_page() -> bytes:
    """A French article in latin-1 bytes, though both the header and the page say utf-8."""
    paragraphs = [
        "Médecine psychédélique : la thérapie assistée par psilocybine progresse dans plusieurs hôpitaux.",
        "Les études menées à Genève et à Montréal décrivent une amélioration durable chez des patients déprimés.",
        "Selon les équipes de recherche, les séances se déroulent avec deux thérapeutes et une préparation soignée.",
        "Elles rappellent néanmoins la nécessité d'un encadrement médical strict et d'essais plus larges.",
        "Les autorités de santé examineront les résultats avant toute généralisation de ce traitement.",
        "Des associations de patients réclament déjà un accès élargi, mais les médecins appellent à la prudence.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = '<html lang="fr"><head><meta charset="utf-8"><title>Médecine psychédélique</title></head><body>'
    page += f"<article><h1>Médecine psychédélique et thérapie</h1>{body}</article></body></html>"
    return page.encode("latin-1")


START_LINKS = [
    "/articles/psilocybin-depression",
    "/articles/mdma-ptsd",
    "/5xx",
    "/slow",
    "/reset",
    "/loop-a",
    "/chain/1",
    "/missing",
    "/huge",
    "/huge-stream",
    "/bomb",
    "/latin1",
    "/paper.pdf",
    "/files/report",
    "/calendar/2024/05/",
    "/private/staff-notes",
]


@dataclass(frozen=True)
class Hit:
    path: str
    at: float


class HazardServer:
    def __init__(self, robots: str | None = None, robots_delay: float = 0.0, slow_seconds: float = 5.0):
        self.robots = robots
        self.robots_delay = robots_delay
        self.slow_seconds = slow_seconds
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def count(self, prefix: str) -> int:
        """Requests whose path starts with prefix."""
        return sum(hit.path.startswith(prefix) for hit in self.hits)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                with server._lock:
                    server.hits.append(Hit(path, time.time()))
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the crawler hung up
                    self.route(path)

            def route(self, path: str) -> None:
                html = "text/html; charset=utf-8"
                if path == "/robots.txt":
                    time.sleep(server.robots_delay)
                    if server.robots is None:
                        return self.send(404, "text/plain", b"no robots.txt")
                    return self.send(200, "text/plain", server.robots.encode())
                if path == "/":
                    links = "".join(f'<li><a href="{link}">{link}</a></li>' for link in START_LINKS)
                    return self.send(200, html, f"<html><body><h1>Hazards</h1><ul>{links}</ul></body></html>".encode())
                if path.startswith(("/articles/", "/private/")):
                    return self.send(200, html, article(path.rstrip("/").rsplit("/", 1)[-1]))
                if path == "/5xx":
                    return self.send(503, html, b"<html><body>Service unavailable</body></html>")
                if path == "/slow":
                    time.sleep(server.slow_seconds)
                    return self.send(200, html, article("slow-page"))
                if path == "/reset":
                    # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return None
                if path in ("/loop-a", "/loop-b"):
                    return self.redirect("/loop-b" if path == "/loop-a" else "/loop-a")
                if path.startswith("/chain/"):
                    return self.redirect(f"/chain/{int(path.split('/')[2]) + 1}")
                if path == "/huge":
                    return self.send(200, html, huge_body())
                if path == "/huge-stream":  # no Content-Length: the body ends when the connection closes
                    self.send_response(200)
                    self.send_header("Content-Type", html)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    body = huge_body()
                    for i in range(0, len(body), 1 << 16):
                        self.wfile.write(body[i : i + (1 << 16)])
                    self.close_connection = True
                    return None
                if path == "/bomb":
                    return self.send(200, html, gzip_bomb(), {"Content-Encoding": "gzip"})
                if path == "/latin1":
                    return self.send(200, html, latin1_page())
                if path in ("/paper.pdf", "/files/report"):
                    pdf = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
                    return self.send(200, "application/pdf", pdf)
                if path.startswith("/calendar/"):
                    return self.send(200, html, self.calendar(path))
                return self.send(404, html, b"<html><body>Not found</body></html>")

            def calendar(self, path: str) -> bytes:
                year, month = (int(x) for x in path.strip("/").split("/")[1:3])
                months = year * 12 + month - 1
                prev, nxt = divmod(months - 1, 12), divmod(months + 1, 12)
                links = "".join(
                    f'<a href="/calendar/{y:04d}/{m + 1:02d}/">{y}-{m + 1:02d}</a> ' for y, m in (prev, nxt)
                )
                return f"<html><body><h1>Events {year}-{month:02d}</h1><p>No events.</p>{links}</body></html>".encode()

            def redirect(self, location: str) -> None:
                self.send(302, "text/html", b"", {"Location": location})

            def send(self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # keep test output clean
                pass

        return Handler


class SilentPort:
    """A TCP port on 127.0.0.1 that accepts connections and never says a word (an FTP or HTTP server hung)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        with contextlib.suppress(OSError):  # closed by __exit__
            while True:
                self.connections.append(self.sock.accept()[0])

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.sock.close()
        for conn in self.connections:
            conn.close()


if __name__ == "__main__":  # serve by hand: python tests/hazard_server.py
    with HazardServer(robots="User-agent: *\nDisallow: /private/\n") as s:
        print(s.base, flush=True)
        while True:
            time.sleep(3600)
