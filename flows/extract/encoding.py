"""Page bytes to text: decoded by what the bytes are, the declaration only when they agree.

Order: byte-order mark; UTF-8 when the bytes are valid UTF-8 (a page that is valid
UTF-8 with non-ASCII bytes is all but never anything else); the charset of
Content-Type, then of <meta>, when the bytes decode strictly with it; then
charset-normalizer's detection, with windows-1252 (what browsers read "latin-1"
as) and latin-1 (which never fails) last. A single-byte decoding that reads
cleanly always beats U+FFFD replacement characters.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass

import charset_normalizer
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
DETECT_BYTES = 20000  # enough text for the detector; whole pages only slow it down
NEAR_TIE_CHAOS = 0.05  # detector "chaos" (0-1) differences this small are noise between Latin code pages


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec used, Python's name (utf-8, cp1252, ...)
    declared: str | None  # what the BOM, Content-Type or <meta> said, if anything
    overridden: bool  # the bytes were decoded with another charset than the declared one


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    with contextlib.suppress(LookupError):
        return codecs.lookup(resolve_encoding(name) or name).name
    return None


def _strict(body: bytes, encoding: str) -> str | None:
    with contextlib.suppress(LookupError, UnicodeDecodeError):
        return body.decode(encoding)
    return None


def _detected(body: bytes) -> str:
    """charset-normalizer's pick; windows-1252 when it has no evidence or nearly ties with it.

    On short texts the detector has no language evidence (coherence 0) and its first
    pick among equally clean code pages is arbitrary ("Jürgen" came out "Jﮰrgen"); among
    Latin code pages it often prefers a rarer one by a hair ("hôpitaux" came out "hōpitaux"),
    so windows-1252 wins when it reads at least as coherently and nearly as cleanly.
    """
    matches = list(charset_normalizer.from_bytes(body[:DETECT_BYTES]))
    if not matches:
        return "cp1252"
    best = matches[0]
    close = [m for m in matches if m.chaos <= best.chaos + NEAR_TIE_CHAOS and m.coherence >= best.coherence]
    if best.coherence == 0 or any("cp1252" in m.could_be_from_charset for m in close):
        return "cp1252"
    return _codec(best.encoding) or "cp1252"


def decode_page(body: bytes, content_type: str = "") -> Decoded:
    bom, bom_bytes = read_bom(body)
    if bom:
        encoding = _codec(bom) or "utf-8"
        return Decoded(body[len(bom_bytes) :].decode(encoding, errors="replace"), encoding, encoding, False)
    declared = _codec(http_content_type_encoding(content_type)) or _codec(html_body_declared_encoding(body[:4096]))
    encoding, text = "utf-8", _strict(body, "utf-8")
    if text is None and declared:
        encoding, text = declared, _strict(body, declared)
    if text is None:
        encoding = _detected(body)
        text = _strict(body, encoding)
    if text is None:
        encoding, text = "latin-1", body.decode("latin-1")
    overridden = declared is not None and declared != encoding and not body.isascii()
    return Decoded(XML_DECLARATION.sub("", text), encoding, declared, overridden)


def decode_html(body: bytes, content_type: str = "") -> str:
    """Page bytes to text (see decode_page)."""
    return decode_page(body, content_type).text
