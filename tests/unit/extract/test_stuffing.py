"""Keyword-stuffing lines dropped from the main text."""

from __future__ import annotations

import lxml.html

from flows.extract.main_text import drop_stuffing, is_keyword_line, main_text, page_keywords


def test_keyword_stuffing_lines_are_dropped():
    lines = ["Intro paragraph about MDMA trials and what they found.", "mdma study ptsd", "Section two text here.",
             "MDMA Study PTSD", "A short line", "Conclusion."]  # fmt: skip
    kept, removed = drop_stuffing(lines)
    assert removed == 2
    assert "mdma study ptsd" not in " ".join(kept).lower()
    assert "A short line" in kept  # said once, it stays


KEYWORDS = page_keywords("https://blog.example/mdma-study-ptsd/", {"mdma study ptsd"})


def test_lowercase_line_of_the_pages_keywords_is_stuffing_even_once():
    lines = ["MDMA was given in two sessions a month apart.", "mdma study ptsd", "Symptoms fell in both groups."]
    assert drop_stuffing(lines, KEYWORDS) == ([lines[0], lines[2]], 1)
    assert is_keyword_line("ptsd and mdma study", KEYWORDS)


def test_keyword_rule_leaves_headings_sentences_and_other_words_alone():
    for line in [
        "MDMA Study PTSD",  # a heading in title case
        "mdma study ptsd.",  # punctuation: a sentence
        "mdma, study, ptsd",
        "mdma study results",  # a word that is no keyword
        "ptsd",  # a lone word is a label
        "ptsd study ptsd mdma study ptsd mdma study ptsd",  # too long for a keyword phrase
    ]:
        assert not is_keyword_line(line, KEYWORDS), line
    # German nouns are capitalised; a lower-case German line is words of its own.
    assert not is_keyword_line("studie zu mdma", page_keywords("https://x.example/mdma-studie/", set()))


def test_reporting_text_scores_no_spam():
    html = (
        "<html><head><title>Diet trial cuts weight | Courier</title></head><body><article><h1>Diet trial cuts weight</h1>"
        + "".join(f"<p>Paragraph {n} of the report says the diet trial cut weight in {n} groups.</p>" for n in range(8))
        + "<p>Advertisement</p><p>Advertisement</p><p>Share this article</p><p>Share this article</p></article></body></html>"
    )
    result = main_text(lxml.html.fromstring(html), "https://courier.example/diet-trial-cuts-weight/")
    assert result.stuffed == 0
    assert "Paragraph 7" in result.text
