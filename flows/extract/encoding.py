"""Page bytes to text: the declared charset only when the bytes agree with it."""

from __future__ import annotations

import codecs
import contextlib
import re

import charset_normalizer
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

# Latin-script single-byte code pages a detector confuses with each other on short texts;
# bytes that are none of UTF-8 and the declared charset are most often windows-1252 then.
LATIN_CODEPAGES = {"cp1250", "cp1252", "cp1254", "cp1257", "mac-roman", "mac-latin2"} | {
    f"iso8859-{n}" for n in (1, 2, 3, 4, 9, 10, 13, 14, 15, 16)
}
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def decode_html(body: bytes, content_type: str = "") -> str:
    """Page bytes to text, trusting a declared charset only when the bytes agree with it.

    trafilatura ignores declarations (UTF-8, else charset_normalizer's guess, which
    confuses Latin code pages on short pages: "hôpitaux" came out "hōpitaux"). Order
    here: byte-order mark; the charset of Content-Type, then of <meta>, if the bytes
    decode strictly with it (pages that say utf-8 and send latin-1 are common); UTF-8;
    the detector's guess unless it is a Latin code page; windows-1252 (what browsers
    read "latin-1" as); latin-1, which never fails.
    """
    bom, _ = read_bom(body)
    declared = [bom, http_content_type_encoding(content_type), html_body_declared_encoding(body[:4096])]
    for encoding in [*declared, "utf-8"]:
        if encoding:
            with contextlib.suppress(LookupError, UnicodeDecodeError):
                return XML_DECLARATION.sub("", body.decode(resolve_encoding(encoding) or encoding))
    guess = charset_normalizer.from_bytes(body[:20000]).best()
    candidates = ["cp1252", "latin-1"]
    if guess is not None and codecs.lookup(guess.encoding).name not in LATIN_CODEPAGES:
        candidates.insert(0, guess.encoding)
    for encoding in candidates:
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            return XML_DECLARATION.sub("", body.decode(encoding))
    return body.decode("latin-1")  # unreachable: latin-1 maps every byte
