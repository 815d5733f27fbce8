"""Content checks for the rules flows.extract.main_text adds on top of trafilatura."""

from __future__ import annotations

import lxml.html

from flows.extract.main_text import drop_headline, drop_stuffing, headlines, is_boilerplate, main_text

BODY = [
    "Researchers gave psilocybin to 104 adults with major depression in a randomised trial this spring.",
    "Six weeks later, the treated group scored markedly lower on the standard depression scale.",
    "The team plans a larger study with an active placebo to keep participants from guessing.",
    "Side effects were mostly headaches and nausea that faded within a day of the session.",
]


def test_keyword_line_repeated_between_sections_is_dropped():
    lines = [BODY[0], "psilocybin depression trial", BODY[1], "psilocybin depression trial", BODY[2],
             "Psilocybin Depression Trial", BODY[3], "psilocybin depression trial"]  # fmt: skip
    kept, removed = drop_stuffing(lines)
    assert removed == 4
    assert kept == BODY


def test_legit_repeated_lines_stay():
    lines = [
        BODY[0],
        "What inspired you to start?",  # an interview question asked of each guest: punctuation
        BODY[1],
        "What inspired you to start?",
        "- See it now: Amazon",  # list items
        "- See it now: Amazon",
        "| Pos | Player | Plays |",  # table header rows
        "| Pos | Player | Plays |",
        "Comments",  # a lone word is a label, not a keyword phrase
        BODY[2],
        "Comments",
    ]
    assert drop_stuffing(lines) == (lines, 0)


def test_repeated_block_of_a_template_stays():
    card = ["Pre-Workout Meal", "Eat 60 to 90 minutes before your workout"]
    lines = ["Plan A", *card, "Eggs and toast", "Plan B", *card, "Oats and fruit", "Plan C", *card, "Rice and beans"]
    assert drop_stuffing(lines) == (lines, 0)


def test_boilerplate_lines():
    for line in ["Advertisement", "ADVERTISEMENT", "Share this article", "Related: Ketamine clinics expand",
                 "[Related: Ketamine clinics expand]", "Read more: MDMA trial results", "Sign up for our newsletter",
                 "Get the day's headlines: subscribe to our newsletter.", "Follow us on Twitter", "12 Comments",
                 "Click here to download the app", "Leia também: estudo sobre psilocibina", "© 2024 Example Media",
                 "You may also like", "Tags", "Updated at 1:23 p.m.", "Like this story? Share it with a friend!",
                 "Write to Al Root at al.root@example.com", "Tempo de leitura: 2 minutos", "Filed under: Health",
                 "sexta-feira, 22 de outubro de 2010 às 20:13", "March 12, 2024", "12 issues for £11.99. Click here.",
                 "[button link=/x/]Send us your review[/button]"]:  # fmt: skip
        assert is_boilerplate(line), line
    for line in ["Related research has shown similar effects in smaller groups.",
                 "Also on Tuesday, the agency published its draft guidance.", "Read the full study in JAMA.",
                 "The trial began on March 3, 2021.", "More than 40 percent of households have debt.",
                 "Tags on the vials showed the dose.", "Thank you notes from patients lined the wall.",
                 "Subscribers to the trial registry were notified, " + "and the results were " * 10 + "published."]:  # fmt: skip
        assert not is_boilerplate(line), line


def test_headline_dropped_only_from_the_first_lines():
    titles = {"new trial of psilocybin for depression"}
    lines = ["New Trial of Psilocybin for Depression", *BODY, "New trial of psilocybin for depression"]
    assert drop_headline(lines, titles) == [*BODY, "New trial of psilocybin for depression"]


PAGE = """<html><head><title>Psilocybin Trial Shows Lasting Effect | Example News</title>
<meta property="og:title" content="Psilocybin Trial Shows Lasting Effect"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Psilocybin Trial Shows Lasting Effect</h1>
{paragraphs}
<p>Advertisement</p>
<p>Related: Ketamine clinics expand in rural areas</p>
</article><footer>Sign up for our newsletter</footer></body></html>"""


def test_main_text_keeps_the_body_and_drops_the_furniture():
    html = PAGE.format(paragraphs="\n".join(f"<p>{p} {p}</p>" for p in BODY))
    doc, text, _ = main_text(lxml.html.fromstring(html), "https://news.example/psilocybin-trial")
    assert doc is not None
    assert doc.title == "Psilocybin Trial Shows Lasting Effect"
    assert headlines(lxml.html.fromstring(html)) >= {"psilocybin trial shows lasting effect"}
    for sentence in BODY:
        assert sentence in text
    for furniture in ["Psilocybin Trial Shows Lasting Effect", "Advertisement", "Related:", "newsletter", "Home"]:
        assert furniture not in text


def test_announced_teaser_block_is_dropped_with_its_heading():
    html = (
        "<html><body><article><h1>Trial Results</h1>" + "".join(f"<p>{p} {p}</p>" for p in BODY) + "</article>"
        '<section><h3 class="relatedpoststitle">You might like</h3><article><p>'
        + "A teaser for another story. " * 20
        + "</p></article></section></body></html>"
    )
    _, text, _ = main_text(lxml.html.fromstring(html), "https://news.example/trial-results")
    assert all(sentence in text for sentence in BODY)
    assert "teaser" not in text
