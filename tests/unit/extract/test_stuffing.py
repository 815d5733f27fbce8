"""Keyword-stuffing lines dropped from the main text."""

from __future__ import annotations

from flows.extract.main_text import drop_stuffing


def test_keyword_stuffing_lines_are_dropped():
    lines = ["Intro paragraph about MDMA trials and what they found.", "mdma study ptsd", "Section two text here.",
             "MDMA Study PTSD", "A short line", "Conclusion."]  # fmt: skip
    kept, removed = drop_stuffing(lines)
    assert removed == 2
    assert "mdma study ptsd" not in " ".join(kept).lower()
    assert "A short line" in kept  # said once, it stays
