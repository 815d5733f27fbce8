"""Topic tagging: what is matched, what is not, what counts, and how relevant an article is."""

from __future__ import annotations

import pytest

from flows.analyse.topics import KINDS, TAXONOMY, TaxonomyError, TopicMatcher, default_matcher, load_taxonomy

ON_TOPIC_TITLE = "MDMA-assisted therapy for PTSD moves closer to FDA approval"
ON_TOPIC = """\
A phase 3 trial of MDMA-assisted therapy in patients with severe PTSD found that two thirds no longer \
met the criteria for the disorder after three sessions. Lykos Therapeutics, the company spun out of MAPS, \
said it would file a new drug application with the FDA. Each session paired a dose of MDMA with \
psychotherapy from a two-person therapy team, followed by integration sessions.
Critics point to functional unblinding: most participants guessed whether they had received MDMA or \
placebo. Adverse events included raised blood pressure and nausea; no serious adverse event was linked \
to the drug. Researchers also hope psychedelics such as psilocybin will help with treatment-resistant \
depression and alcohol use disorder, and veterans groups have lobbied the VA to fund studies of \
psilocybin therapy and ketamine for PTSD and depression.
"""

SPORTS = """\
The ecstasy of victory was written on every face as the home side lifted the trophy on Saturday. \
Fans spilled onto the pitch in ecstasy, and the captain, a veteran of three finals, said the squad had \
sustained its focus through a season of injuries. "We studied the maps of their pressing, the coaches \
did a huge amount of work," he said. The opening ceremony had been delayed by rain, and the safety car \
came out twice in the support race. Season tickets will cost more next year, the club said, citing \
rising costs and new investment in the stadium. Molly Jones, who scored twice, thanked the supporters.
"""


@pytest.fixture(scope="module")
def matcher() -> TopicMatcher:
    return default_matcher()


def spans(matcher: TopicMatcher, text: str) -> list[tuple[str, str]]:
    return [(text[start:end], topic_id) for start, end, topic_id in matcher.find(text)]


def test_shipped_taxonomy_loads_with_known_kinds_and_unique_ids():
    topics = load_taxonomy(TAXONOMY)
    ids = [t.topic_id for t in topics]
    assert len(ids) == len(set(ids)) >= 90
    assert {t.kind for t in topics} == set(KINDS)
    for topic_id in ("mdma", "psilocybin", "ketamine", "esketamine", "ptsd", "mdd", "trd", "ibogaine", "maps", "va"):
        assert topic_id in ids
    by_id = {t.topic_id: t for t in topics}
    assert "MAPS" in by_id["maps"].case_sensitive
    assert "AUD" in by_id["aud"].case_sensitive
    assert set(by_id["regulation_approval"].case_sensitive) >= {"NDA"}
    for topic in topics:
        assert set(topic.case_sensitive) <= set(topic.synonyms)


def test_longest_match_wins(matcher):
    text = "Treatment-resistant depression differs from depression; treatment resistant depression too."
    assert spans(matcher, text) == [
        ("Treatment-resistant depression", "trd"),
        ("depression", "mdd"),
        ("treatment resistant depression", "trd"),
    ]
    assert spans(matcher, "MDMA-assisted therapy") == [("MDMA-assisted therapy", "mdma")]
    assert spans(matcher, "post traumatic stress disorder") == [("post traumatic stress disorder", "ptsd")]
    # A phrase listed under two topics counts for both, on the same span.
    assert spans(matcher, "a ketamine clinic") == [
        ("ketamine clinic", "ketamine"),
        ("ketamine clinic", "clinics_retreats"),
    ]


def test_whole_words_only(matcher):
    assert matcher.find("MDMAX psilocybinoid ketamines antidepression MAPSx") == []
    assert spans(matcher, "non-MDMA (psilocybin)") == [("MDMA", "mdma"), ("psilocybin", "psilocybin")]


def test_case_sensitive_acronyms(matcher):
    assert spans(matcher, "MAPS funded the study.") == [("MAPS", "maps")]
    assert spans(matcher, "Google maps and road maps.") == []
    assert spans(matcher, "Patients with AUD drank less.") == [("AUD", "aud")]
    assert spans(matcher, "the aud file and an Aud clip") == []
    assert spans(matcher, "The VA will fund it.") == [("VA", "va")]
    assert spans(matcher, "Richmond, Va. and the va") == []
    assert spans(matcher, "The DEA and the dea") == [("DEA", "dea")]


def test_acronyms_with_another_meaning_nearby(matcher):
    assert spans(matcher, "The show is in Richmond, VA on June 24.") == []
    assert spans(matcher, "It raised AUD 5 million, or 12 million AUD.") == []
    assert spans(matcher, "Staff signed an NDA.") == []
    assert spans(matcher, "Lykos submitted an NDA.") == [("Lykos", "lykos"), ("NDA", "regulation_approval")]
    assert spans(matcher, "The Great Depression; a tropical depression.") == []
    assert spans(matcher, "psychedelic rock, psychedelic art and psychedelic medicine") == [
        ("psychedelic medicine", "psychedelics_class")
    ]


def test_ecstasy_the_feeling_is_not_mdma(matcher):
    assert "mdma" not in matcher.mentions(SPORTS)
    assert matcher.mentions("Fans wept in ecstasy as the final whistle blew.") == {}
    assert matcher.mentions("Molly Ringwald starred in the film.") == {}


def test_ecstasy_the_drug_is_mdma(matcher):
    text = "Police said the pills were ecstasy. Ecstasy, or molly, is a street name for the drug."
    assert matcher.mentions(text) == {"mdma": 2 + 1}
    # Other substances make the article about drugs too; a phrase in a psilocybin story is still a feeling.
    assert matcher.mentions("He took ecstasy and LSD.") == {"mdma": 1, "lsd": 1}
    assert matcher.mentions("Psilocybin can bring religious ecstasy.") == {"psilocybin": 1}
    # A sentence judged with its article as context.
    sentence = "Ecstasy was everywhere."
    assert matcher.find(sentence) == []
    assert matcher.find(sentence, context=sentence + " Doses were high.") == [(0, 7, "mdma")]


def test_counts_on_a_paragraph(matcher):
    assert matcher.mentions(ON_TOPIC) == {
        "clinical_trial": 1,  # phase 3 (trial alone is no synonym)
        "mdma": 3,  # MDMA-assisted therapy, MDMA, MDMA
        "ptsd": 2,
        "psychotherapy_model": 3,  # psychotherapy, therapy team, integration sessions
        "lykos": 1,
        "maps": 1,
        "regulation_approval": 1,  # new drug application
        "fda": 1,
        "blinding_expectancy": 1,
        "safety_adverse_events": 3,  # adverse events, blood pressure, serious adverse event
        "psychedelics_class": 1,
        "psilocybin": 2,  # psilocybin, psilocybin therapy
        "trd": 1,
        "aud": 1,
        "veterans": 1,
        "va": 1,
        "ketamine": 1,
        "mdd": 1,  # the last "depression": the first is part of treatment-resistant depression
    }


MATCH_REPORT = """\
The visitors started brightly and hit the post twice before the break. After half-time the home side \
pressed higher, won the ball in midfield and finally scored from a corner. The second goal came from a \
long ball over the top, and the third from a penalty after a clumsy challenge in the box. The manager \
praised the defence, the crowd and the groundstaff, who had worked through the night to clear the water. \
"""


def test_relevance_low_off_topic_high_on_topic(matcher):
    assert matcher.relevance("Home side lifts the cup", SPORTS) < 0.2
    assert matcher.relevance(None, SPORTS) < 0.2
    # An 800-word story with one drug mention in passing.
    long_sports = SPORTS.replace("safety car", "ecstasy pills found by police near the") + MATCH_REPORT * 9
    assert 700 < len(long_sports.split()) < 900
    assert matcher.mentions(long_sports)["mdma"] == 1
    assert 0 < matcher.relevance("Home side lifts the cup", long_sports) < 0.2
    assert matcher.relevance(ON_TOPIC_TITLE, ON_TOPIC) > 0.8
    assert matcher.relevance(None, ON_TOPIC) > 0.5
    assert matcher.relevance(None, "") == 0.0


def test_kind(matcher):
    assert (matcher.kind("mdma"), matcher.kind("ptsd"), matcher.kind("maps"), matcher.kind("veterans")) == (
        "substance",
        "condition",
        "organization",
        "theme",
    )
    with pytest.raises(KeyError, match="nope"):
        matcher.kind("nope")


HEADER = "topic_id,kind,label,synonyms,case_sensitive_synonyms\n"


@pytest.mark.parametrize(
    ("row", "field", "problem"),
    [
        ("x,drug,X,x,\n", "kind", "'drug' is not one of"),
        ("x,theme,X,,\n", "synonyms", "no synonym"),
        ("x,theme,X,x|XY,XX\n", "case_sensitive_synonyms", "'XX' is not among the synonyms"),
        ("X Y,theme,X,x,\n", "topic_id", "'X Y' is not an id"),
        ("mdma,theme,Again,x,\n", "topic_id", "already defined on line 2"),
        ("x,theme,X,x\n", "case_sensitive_synonyms", "4 fields, expected 5"),
        ("x,theme,X,a,b,c\n", "after case_sensitive_synonyms", "6 fields, expected 5"),
    ],
)
def test_bad_row_names_file_line_and_field(tmp_path, row, field, problem):
    path = tmp_path / "taxonomy.csv"
    path.write_text(HEADER + "mdma,substance,MDMA,MDMA|ecstasy,MDMA\n\n" + row, encoding="utf-8")
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    message = str(info.value)
    assert f"{path}, line 4, field '{field}'" in message
    assert problem in message


def test_user_taxonomy_without_case_column(tmp_path):
    path = tmp_path / "taxonomy.csv"
    path.write_text('topic_id,kind,label,synonyms\nkambo,substance,Kambo,"kambo|frog secretion|"\n', encoding="utf-8")
    [topic] = load_taxonomy(path)
    assert topic.synonyms == ("kambo", "frog secretion")
    assert topic.case_sensitive == ()
    assert TopicMatcher([topic]).mentions("Kambo, a frog-secretion ritual") == {"kambo": 2}
