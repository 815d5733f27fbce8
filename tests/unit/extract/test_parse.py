"""Pages are parsed as trafilatura parses them, only with cheaper element classes."""

from __future__ import annotations

import lxml.html
import pytest
from trafilatura.utils import load_html

from flows.extract.encoding import decode_page
from flows.extract.page import parse_html
from tests.fixtures import fidelity_facts as facts


def test_fixture_pages_give_trafilaturas_tree():
    for record in facts.records():
        text = decode_page(record.body, record.headers.get("content-type", "")).text
        ours, theirs = parse_html(text), load_html(text)
        assert lxml.html.tostring(ours) == lxml.html.tostring(theirs), record.url
        assert all(isinstance(e, lxml.html.HtmlElement) for e in ours.iter() if isinstance(e.tag, str))


@pytest.mark.parametrize(
    "text",
    ["", "   ", "just some words, no markup", "<p>one block</p>", "<!DOCTYPE html>\n<html/>\n<p>self-closed</p>",
     "<html><body><form><input name=q><textarea>x</textarea></form></body></html>"],
)  # fmt: skip
def test_odd_input_as_trafilatura(text):
    ours, theirs = parse_html(text), load_html(text)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert lxml.html.tostring(ours) == lxml.html.tostring(theirs)
