"""The reference lexicons: what the loader reads, how it reports a bad file, and the rules fingerprint."""

from __future__ import annotations

import re
import shutil

import pytest

from flows.analyse import reference
from flows.analyse.claims import HEDGE_EPISTEMIC, NARROWER, NOT_FDA_APPROVED, REGULATORY
from flows.analyse.reference import REFERENCE_DIR, ReferenceError
from flows.analyse.story import rules_fingerprint
from flows.analyse.topics import REJECTS, RULES, STOP_PHRASES


@pytest.fixture
def copied(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, target)
    return target


def test_fingerprint_is_stable_and_follows_a_cue_list_edit(copied):
    before = rules_fingerprint(copied)
    assert rules_fingerprint(copied) == before == rules_fingerprint(REFERENCE_DIR)
    cues = copied / "hedge_cues.toml"
    cues.write_text(cues.read_text().replace("cues = [\n", "cues = [\n    'conceivably',\n", 1))
    assert reference.cue_list(cues, "limit").cues[0] == "conceivably"
    assert rules_fingerprint(copied) != before


def test_fingerprint_follows_a_journal_added(copied):
    before = rules_fingerprint(copied)
    with (copied / "journals.csv").open("a") as handle:
        handle.write("Journal of Psychedelic Studies,J Psychedelic Stud,false\n")
    assert rules_fingerprint(copied) != before
    names, _ = reference.journals(copied / "journals.csv")
    assert names["Journal of Psychedelic Studies"] == ("J Psychedelic Stud",)


def test_lexicons_reach_the_rules():
    assert NARROWER["esketamine"] == "ketamine"
    assert "psilocybin" in NOT_FDA_APPROVED
    assert REGULATORY.search("the drug was rescheduled last year")
    assert HEDGE_EPISTEMIC.search("the results suggest a benefit")
    assert "=Great Depression" in STOP_PHRASES
    assert "psychedelic rock" in STOP_PHRASES
    assert "opening ceremonies" in STOP_PHRASES
    assert RULES["ecstasy"].needs == "drug"
    assert RULES["va"].needs is None


def test_cue_list_pattern_keeps_phrases_with_spaces(copied):
    cue = reference.CueList("x", ("wore off", "fade[sd]?"), word_end=True)
    pattern = re.compile(cue.pattern(), re.VERBOSE)
    assert pattern.search("the effect wore off")
    assert pattern.search("it faded")
    assert not pattern.search("woreoff")


def test_bad_cue_is_reported_with_file_and_table(copied):
    path = copied / "claim_cues.toml"
    path.write_text(path.read_text().replace("'designation',", "'designation(',", 1))
    with pytest.raises(ReferenceError, match=r"claim_cues\.toml, table \[regulatory\], field 'cues': 'designation\('"):
        reference.cue_list(path, "regulatory")
    with pytest.raises(ReferenceError, match=r"table \[nothing\]: missing"):
        reference.cue_list(path, "nothing")


def test_bad_ambiguous_rule_and_journal_row_are_reported(copied):
    rules = copied / "topic_rules.toml"
    rules.write_text(rules.read_text().replace('reject = "cereal"', 'reject = "breakfast"'))
    with pytest.raises(ReferenceError, match=r"field 'special k': reject must be one of .*'breakfast'"):
        reference.ambiguous_synonyms(rules, frozenset(REJECTS))
    journals = copied / "journals.csv"
    with journals.open("a") as handle:
        handle.write("Nature,,maybe\n")
    with pytest.raises(ReferenceError, match=r"journals\.csv, line \d+, field 'journal': 'Nature' is listed twice"):
        reference.journals(journals)


def test_journal_abbreviation_list_loads_and_reports_a_bad_row(copied):
    pairs = reference.journal_abbreviations()
    assert len(pairs) > 10_000
    assert ("Journal of Psychopharmacology", "J. Psychopharmacol. (Oxf.)") in pairs
    path = copied / "journal_abbreviations.csv"
    with path.open("a") as handle:
        handle.write("Journal of Nothing,\n")
    with pytest.raises(ReferenceError, match=r"journal_abbreviations\.csv, line \d+, field 'abbreviation': empty"):
        reference.journal_abbreviations(path)
