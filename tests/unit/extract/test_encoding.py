"""Bytes decoded by what they are; the declared charset only when the bytes agree with it."""

from __future__ import annotations

from flows.extract.encoding import decode_page

GERMAN = "<p>Von Jürgen Weißhaupt</p><p>Übelkeit trat vor allem am Tag der Einnahme auf, größere Studien folgen.</p>"
UTF8 = "text/html; charset=utf-8"


def test_latin1_bytes_declared_utf8_are_read_as_windows_1252():
    decoded = decode_page(GERMAN.encode("latin-1"), UTF8)
    assert decoded.text == GERMAN
    assert (decoded.encoding, decoded.declared, decoded.overridden) == ("cp1252", "utf-8", True)


def test_a_short_page_without_language_evidence_still_reads_cleanly():
    # charset-normalizer alone picks an arbitrary code page here ("Jﮰrgen").
    decoded = decode_page("<p>Jürgen</p>".encode("latin-1"), UTF8)
    assert decoded.text == "<p>Jürgen</p>"
    assert "\ufffd" not in decoded.text


def test_valid_utf8_wins_over_a_wrong_single_byte_declaration():
    decoded = decode_page(GERMAN.encode("utf-8"), "text/html; charset=iso-8859-1")
    assert decoded.text == GERMAN
    assert (decoded.encoding, decoded.overridden) == ("utf-8", True)


def test_cyrillic_bytes_declared_utf8_are_detected():
    text = "<p>Исследование псилоцибина показало снижение депрессии у пациентов клиники.</p>"
    decoded = decode_page(text.encode("cp1251"), UTF8)
    assert decoded.text == text
    assert decoded.encoding == "cp1251"


def test_a_truthful_declaration_is_not_overridden():
    same = decode_page(GERMAN.encode("utf-8"), UTF8)
    assert (same.encoding, same.declared, same.overridden) == ("utf-8", "utf-8", False)
    latin = decode_page(GERMAN.encode("latin-1"), "text/html; charset=windows-1252")
    assert (latin.text, latin.encoding, latin.overridden) == (GERMAN, "cp1252", False)
    # Plain ASCII reads the same in any of them: nothing was overridden.
    assert decode_page(b"<p>plain</p>", "text/html; charset=iso-8859-1").overridden is False


def test_meta_charset_is_used_when_there_is_no_header():
    page = f'<html><head><meta charset="windows-1252"></head><body>{GERMAN}</body></html>'
    decoded = decode_page(page.encode("cp1252"), "text/html")
    assert GERMAN in decoded.text
    assert (decoded.declared, decoded.overridden) == ("cp1252", False)


def test_byte_order_mark_decides():
    decoded = decode_page(GERMAN.encode("utf-8-sig"), "text/html; charset=iso-8859-1")
    assert decoded.text == GERMAN
    assert decoded.encoding == "utf-8"


def test_french_latin1_page_is_not_read_as_a_baltic_code_page():
    # charset-normalizer ranks cp1257 first here by a hair ("hōpitaux").
    text = (
        "<p>Médecine psychédélique : la thérapie assistée par psilocybine progresse dans plusieurs hôpitaux.</p>"
        "<p>Les études menées à Genève montrent déjà un accès élargi, mais les médecins appellent à la prudence.</p>"
    )
    decoded = decode_page(text.encode("latin-1"), UTF8)
    assert decoded.text == text
    assert decoded.encoding == "cp1252"
