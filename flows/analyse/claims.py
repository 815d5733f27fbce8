"""Claims in psychedelic-research articles: which sentences assert something about a substance, and how.

Rule-based, following shared/reference/claims.md. A sentence is a claim when it names a substance
(or refers back to one with "it", "the drug", "this medication", "the 25 mg dose": the substance
named last within five sentences or in the same paragraph, else the story's only one; the words are
kept as Claim.substance_phrase) and carries a
predicate of one of the CLAIM_TYPES, and is not a question, heading, reference entry, call to action
or pure definition. For each claim the rules read the type (main and secondary), the condition
(named, else carried from the article), polarity, hedging, overclaim cues and attribution; the cue
lists are data (sql/reference/claim_cues.toml, hedge_cues.toml). Two shipped models
(flows/analyse/models) take the rule cues as features: the strength model gives the strength and its
confidence, and the hedge model decides whether an epistemic cue alone ("suggests", "whether")
hedges the claim; modal, limit, distance and status cues always do (claims.md).

All patterns run on the lower-cased sentence and are compiled once at import. A sentence without a
substance or a back-reference costs one topics_in call and a counter update; a candidate costs two
scans (type cues, then hedge/hype/attribution cues) built by `_scanner`, plus a few small searches:
about 60-100 us, ~300+ articles of 800 words per second on one core (topics_in not included).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from flows.analyse import models, reference
from flows.analyse.reference import CLAIM_CUES, HEDGE_CUES, STRENGTH_CUES
from flows.text.sentences import Sentence

CLAIM_TYPES = ("efficacy", "safety", "mechanism", "durability", "regulatory", "access_cost", "comparison")

# Condition carried from context when the sentence names none. Efficacy-like claims take the
# article's dominant condition; safety, mechanism and regulatory claims take a condition only when
# the article has already tied it to the same substance (claims.md labels "MDMA is generally well
# tolerated" as ptsd in a PTSD article). Cost and access claims never inherit one (claims.md, ex. 12).
ARTICLE_CONDITION_TYPES = frozenset({"efficacy", "durability", "comparison"})
RELATION_TYPES = frozenset({"efficacy", "durability", "comparison", "safety", "mechanism"})  # assert an effect
PAIRED_CONDITION_TYPES = frozenset({"efficacy", "durability", "comparison", "safety", "mechanism", "regulatory"})

# Narrower topic -> broader topic it makes redundant when both are found in one sentence.
NARROWER = reference.topic_map(CLAIM_CUES, "narrower")
CLASS_SUBSTANCES = frozenset({"psychedelics_class", "entactogens_class"})  # lose to any named substance
# Substances that were not FDA-approved as of the reference timeline: "FDA-approved" is a status error.
NOT_FDA_APPROVED = reference.topic_set(CLAIM_CUES, "regulatory_status", "not_fda_approved")
# Words that locate a substance in the sentence, to pick the first of several (ids work for most).
PROBES = reference.topic_words(CLAIM_CUES, "probes")


@dataclass(frozen=True)
class Claim:
    sentence_index: int
    sentence: str
    claim_type: str  # main type, one of CLAIM_TYPES
    secondary_type: str | None  # e.g. efficacy + comparison
    substance: str | None  # taxonomy topic id (kind substance) the claim is about
    condition: str | None  # taxonomy topic id (kind condition), None when unnamed
    polarity: str  # "positive" or "negative"
    strength: str  # "correlational", "conditional", "causal", or "none" (the strength model sees no relation)
    confidence: float | None  # the strength model's probability for that label; None from the rules alone
    hedge_level: str  # "none", "low" (one cue), "high" (two or more, or a limitation phrase)
    hedge_cues: tuple[str, ...]  # cue words found, lower-case, in order
    hype_cues: tuple[str, ...]  # overclaim cues found
    attributed: bool  # reported speech: "X said", "according to"
    # The words that stand for the substance when the sentence does not name it ("the drug", "it"),
    # resolved to the substance named last (`substance`); None when the sentence names it.
    substance_phrase: str | None = None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.VERBOSE)


def _lexicon(path: Path, name: str) -> re.Pattern[str]:
    """A cue list of sql/reference (claim_cues.toml, hedge_cues.toml) as one pattern."""
    return _rx(reference.cue_list(path, name).pattern())


# ---------- one scan for many cue lists
# Python's re tries every alternative at every word start, so a scan over a few hundred cues costs
# ~40 us per sentence. `_scanner` joins cue patterns into one regex whose alternatives are grouped by
# first letter ("r(?:educ…|elie…)"): each word start then tries ~26 letters and a handful of cues.
# Each alternative becomes part of a named group "<name>__<letter>"; order is kept within a letter, so
# at one position the cue list given first wins.


def _group_end(text: str, start: int) -> int:
    """Index just past the group that opens at text[start]."""
    depth, i, in_class = 0, start, False
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced group in {text!r}")


def _alternatives(body: str) -> list[str]:
    """Top-level alternatives of a pattern, respecting groups, character classes and escapes."""
    parts, depth, in_class, last, i = [], 0, False, 0, 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(body[last:i])
            last = i + 1
        i += 1
    parts.append(body[last:])
    # verbose-mode whitespace is insignificant, except an escaped space at the end (main\ )
    stripped = [part.strip() for part in parts]
    return [p + " " if (len(p) - len(p.rstrip("\\"))) % 2 else p for p in stripped if p]


def _expand(alternative: str) -> list[str]:
    """Distribute a leading group so each alternative starts with a letter: "(?:a|b)?c" -> a c, b c, c."""
    if not alternative.startswith("(?:"):
        return [alternative]
    end = _group_end(alternative, 0)
    inner, rest = alternative[3 : end - 1], alternative[end:]
    if rest[:1] in ("*", "+", "{"):
        return [alternative]
    optional = rest[:1] == "?"
    rest = rest[1:] if optional else rest
    expanded = [item for choice in _alternatives(inner) for item in _expand(choice + rest)]
    return expanded + _expand(rest.strip()) if optional and rest.strip() else expanded


def _body(pattern: re.Pattern[str]) -> tuple[str, str]:
    """A word-boundary pattern `\\b(?:a|b)suffix` as its alternatives' source and the common suffix."""
    text = pattern.pattern.strip()
    if not text.startswith("\\b"):
        raise ValueError(f"cue patterns start at a word boundary: {pattern.pattern!r}")
    text = text[2:]
    if text.startswith("(?:") and len(_alternatives(text)) == 1:
        end = _group_end(text, 0)
        return text[3 : end - 1], text[end:]
    return text, ""


def _scanner(cue_lists: tuple[tuple[str, re.Pattern[str]], ...]) -> re.Pattern[str]:
    by_letter: dict[str, list[str]] = {}
    others: list[str] = []
    for name, pattern in cue_lists:
        body, suffix = _body(pattern)
        per_letter: dict[str, list[str]] = {}
        rest: list[str] = []
        for alternative in (item for part in _alternatives(body) for item in _expand(part)):
            if alternative[:1].isalnum() and alternative[1:2] not in ("", "?", "*", "+", "{"):
                per_letter.setdefault(alternative[0], []).append(alternative[1:] + suffix)
            else:
                rest.append(alternative + suffix)
        for letter, tails in per_letter.items():
            by_letter.setdefault(letter, []).append(f"(?P<{name}__{letter}>{'|'.join(tails)})")
        if rest:
            others.append(f"(?P<{name}__>{'|'.join(rest)})")
    branches = [f"{letter}(?:{'|'.join(groups)})" for letter, groups in by_letter.items()]
    return _rx("\\b(?:" + "|".join(branches + others) + ")")


def _cue_name(match: re.Match[str]) -> str:
    return (match.lastgroup or "").partition("__")[0]


# ---------- non-claims

# Reference-list entries: APA "Mitchell, J. M., ...", Vancouver "Johnson MW, Garcia-Romeu A, ...",
# or a volume(issue):pages / year;volume locator. In-text "(Mitchell et al., 2021)" matches none.
REFERENCE_START = _rx(
    r"""^\W{0,3}(?:\[?\d{1,3}[.\]]\s*)?
    (?:[A-Z][\w'’-]+,\s+(?:[A-Z]\.\s*-?){1,3}(?:,|&|and\b|\(|et\ al|$)   # Mitchell, J. M.,
    |[A-Z][\w'’-]+\ [A-Z]{1,3}(?:,\ [A-Z][\w'’-]+\ [A-Z]{1,3})+          # Johnson MW, Griffiths RR
    |[A-Z][\w'’-]+,?\ (?:[A-Z]\.\s*)*et\ al\.,?\ \(?\d{4}\)?\.)          # Mitchell et al. (2021).
    """
)
REFERENCE_LOCATOR = _rx(r"\b(?:\d{1,4}\s*\(\d{1,4}\)\s*[:,]\s*e?\d+|(?:19|20)\d\d\s*;\s*\d+)")
REFERENCE_FRAGMENT_WORDS = 12  # a split-off "Journal, 27(6), 1025-1033." is short; a news sentence citing one is not
CLOSING = "\"'”’)] \t"  # stripped before looking at a sentence's last mark
# Calls to action: imperative openers, or "call us" / "contact us" anywhere.
CALL_TO_ACTION = _rx(
    r"""\W*(?:call|contact|book|schedule|sign\ up|subscribe|click|visit|request|reach\ out|find\ out|learn\ more
    |get\ (?:started|in\ touch)|join|download|register|follow\ us|discover|talk\ to|speak\ (?:to|with)
    |ask\ (?:us|about|your)|take\ the\ (?:first\ )?step|don['’]?t\ wait|do\ not\ wait|start\ your|begin\ your
    |apply|enroll|share|read\ more|see\ also|explore|to\ (?:learn|find\ out|book|schedule|see\ if))\b"""
)  # used with .match: the sentence opens with it
CONTACT_US = _rx(r"\b(?:call|contact|email|text)\ us\b")
# Pure definitions ("MDMA, also known as ecstasy, is a psychoactive substance"): not claims unless a
# regulatory, receptor-level mechanism or efficacy predicate rides along.
DEFINITION = _rx(
    r"""\b(?:also\ (?:known|called|referred\ to)\ as|refers?\ to|is\ derived\ from|is\ found\ in
    |is\ (?:made|extracted|produced)\ from|is\ (?:the|an?)\ (?:main\ |primary\ )?active\ (?:ingredient|compound)
    |(?:is|are)(?=\ (?:a|an)\ (?:[\w-]+\ ){0,4}?(?:substance|compound|drug|chemical|molecule|anaesthetic
    |anesthetic|alkaloid|hallucinogen|tryptamine|phenethylamine|amphetamine|derivative|plant|brew|tea|mushroom|cactus
    |shrub|enantiomer|analog|analogue|form\ of)s?\b))\b"""
)
# A finite verb: auxiliaries, modals, -ed forms and the verbs of this domain. Without one a short
# line is a title ("Long-term follow-up of psilocybin-facilitated smoking cessation.").
VERB = _rx(
    r"""\b(?:is|are|was|were|be|been|am|has|have|had|do|does|did|can|could|may|might|will|would|should|must
    |[a-z]{3,}ed|says|shows?|helps?|makes?|made|takes?|took|gives?|gave|offers?|gets?|got|remains?|seems?|appears?
    |acts?|binds?|suggests?|indicates?|finds?|found|leads?|led|beats?|beat|met|meets?|becomes?|became|costs?|works?
    |fades?|lasts?|reduces?|improves?|causes?|quiets?|calms?|boosts?|lowers?|raises?|increases?|decreases?|eases?
    |treats?|cures?|heals?|carries|carry|needs?|allows?|lets?|keeps?|kept|goes|went|comes?|came|sees?|saw|knows?
    |knew|wears?|thinks?|thought|believes?|feels?|felt|produces?|promotes?|triggers?|blocks?|changes?|alters?|affects?
    |fixes|revolutioni[sz]es?|transforms?|offers?|provides?|requires?|costs?|pays?)\b"""
)

# ---------- context

# A back-reference to a substance named before: "it"/"its" opening the sentence (after an optional
# lead-in), or a definite description ("the drug", "this medication", "the experimental compound")
# anywhere. It resolves to the substance named last (see _Context.referent).
ANAPHORA_START = _rx(r"(?:[^,]{0,40},\s*)?(?P<phrase>it|its)\b")  # used with .match
ANAPHORA = _rx(
    r"""\b(?P<phrase>(?:the|this|these|those|such|its|their|either|both|each|every|a\ single|a\ full)\s+
    (?:(?!(?:the|this|that|these|those|its|their|an?|as|and|or|in|to|with|for|on|by|at|from)\s)[\w-]+\s+){0,2}?
    (?:drugs?|therap(?:y|ies)|treatments?|medications?|medicines?|compounds?|substances?|interventions?|infusions?
    |spray|molecules?|psychedelics?|approach|doses?|sessions?|series|course|dosing\ (?:days?|sessions?))
    |(?:the|these|those|its|their)\ (?:[\w-]+\ )?(?:effects?|benefits?|risks)(?!\ of\b)     # "the benefits"
    |an?\ (?:[\w-]+\ ){0,2}?(?:doses?|infusions?)(?!\ of\b)                             # "a moderate single dose"
    |(?:during|after|before|following)\ (?:the\ )?(?:treatment|dosing|infusions?)(?!\ (?:with|of|for|by)\b)
    |\d+(?:\.\d+)?\s?(?:mg|milligrams?|µg|mcg|micrograms?)(?:/kg)?)(?![\w-])       # "the 25 mg group"
    """
)
# "It is too early to say", "it's unclear whether": an "it" that stands for no thing, or for the
# condition ("It is characterised by intrusive memories").
EXPLETIVE_IT = _rx(
    r"""(?:[^,]{0,40},\s*)?it(?:\s+(?:is|was|remains|seems|seemed|appears|appeared|would\ be|will\ be)|['’]s)
    \s+(?:not\s+|still\s+|also\s+|now\s+)?(?:yet\s+)?(?:(?:un)?clear|(?:im)?possible|(?:un)?likely|important|hard
    |difficult|easy|worth|too\ (?:early|soon)|unknown|known|true|time|essential|crucial|critical|necessary|notable
    |striking|surprising|thought|believed|hoped|expected|estimated|said|reported|the\ first|to\ be\ seen
    |characteri[sz]ed|defined|marked|diagnosed|classified)\b"""
)
# Descriptions that name something else: a comparator ("the standard treatment", "other drugs") or a
# compound whose head is another thing ("the drug war", "the treatment centre", "the drug's maker").
OTHER_MODIFIERS = frozenset(
    """standard usual existing current conventional available other traditional typical first-line second-line
    alternative comparison comparator control placebo sham older talk""".split()  # noqa: SIM905
)
COMPOUND_HEAD = _rx(
    r"""\s*(?:['’]s\s+)?(?:war|wars|policy|policies|laws?|enforcement|administration|agency|users|abuse
    |addiction|dealers?|dealing|trade|trafficking|traffickers|tests?|testing|courts?|charges?|scene|culture|crisis
    |epidemic|overdoses?|deaths|compan(?:y|ies)|makers?|developers?|industry|pric(?:es?|ing)|programs?|programmes?
    |cent(?:er|re)s?|facilit(?:y|ies)|providers?|options?|plans?|guidelines|market|pipeline|candidates?
    |development|discovery|landscape|rehab|seeking|free)\b"""
)
# A sentence about the comparison arm: "The placebo group also improved", "those given niacin".
CONTROL_ARM = _rx(
    r"""\b(?:(?:placebo|control|comparison|waitlist|wait-list|sham)[\s-]+(?:group|arm|condition|participants
    |patients|cohort|volunteers)|those\s+(?:given|on|receiving|who\s+(?:received|got|took))\s+(?:a\s+)?
    (?:placebo|sham|niacin|an?\ active\ placebo))\b"""
)
ANAPHORA_WINDOW = 5  # sentences back a reference reaches outside its own paragraph (news paragraphs are short)


def referring_phrase(lower: str) -> re.Match[str] | None:
    """The words of a sentence that refer back to a substance ("the drug", "it"), or None.

    Not a reference: an expletive "it" ("it is unclear whether"), a comparator ("the standard
    treatment"), a compound about something else ("the drug war", "treatment centres"), and any
    reference after a sentence opening on the control arm ("The placebo group also improved ...").
    """
    start = ANAPHORA_START.match(lower)
    if start and not EXPLETIVE_IT.match(lower):
        return start
    for match in ANAPHORA.finditer(lower):
        if OTHER_MODIFIERS.intersection(match.group().split()) or COMPOUND_HEAD.match(lower, match.end()):
            continue
        control = CONTROL_ARM.search(lower, 0, match.start())
        return None if control else match
    return None


# "depression that has not responded to antidepressants" is treatment-resistant depression.
TRD_PARAPHRASE = _rx(
    r"""\b(?:(?:not|\w+n['’]t|failed\ to|fail\ to)\ (?:\w+\ ){0,2}respond|resistant\ to\b|hard[- ]to[- ]treat
    |difficult[- ]to[- ]treat|(?:two|2|several|multiple)\ or\ more\ (?:\w+\ )?(?:antidepressants|treatments)
    |other\ treatments\ (?:have\ )?failed)"""
)

# ---------- claim predicates, one per type (lower-cased text)

EFFICACY = _lexicon(CLAIM_CUES, "efficacy")
SAFETY = _lexicon(CLAIM_CUES, "safety")
SAFE_WORD = _rx(r"\b(?:safe|safer|safely|tolerat\w*)")  # safety cues that assert safety rather than harm
MITIGATED = _rx(r"\b(?:mild|minor|transient|temporary|rare|rarely|few|low|manageable|resolved|uncommon|short-lived)\b")
# Receptor- and circuit-level words; a bare "brain" counts only when nothing else does.
MECHANISM = _lexicon(CLAIM_CUES, "mechanism")
BRAIN = _lexicon(CLAIM_CUES, "weak_mechanism")
DURABILITY = _lexicon(CLAIM_CUES, "durability")
DURABILITY_WEAK = _lexicon(CLAIM_CUES, "weak_durability")
REGULATORY = _lexicon(CLAIM_CUES, "regulatory")
AGENCY = _lexicon(CLAIM_CUES, "weak_regulatory")  # agency alone: regulatory only if nothing else
ACCESS = _lexicon(CLAIM_CUES, "access_cost")
CURRENCY = _rx(r"[$£€]\s?\d")
# Comparison as the predicate ("as effective as ECT", "larger effect than sertraline") vs an adverbial
# ("compared with placebo"): with placebo as comparator the claim stays efficacy, comparison secondary.
COMPARISON = _lexicon(CLAIM_CUES, "comparison")
# Money talk makes cost the point of the sentence, over any efficacy or safety words in it.
MONEY = re.compile("(?:" + "|".join(reference.cue_list(CLAIM_CUES, "money").cues) + ")")  # fullmatched on access cues

# All type cues in one scan (see _scanner). At one position the first list given wins ("complete
# response letter" is regulatory, not an efficacy "response"), so the more specific types come first.
TYPE_GROUPS = (
    ("regulatory", REGULATORY),
    ("comparison", COMPARISON),
    ("durability", DURABILITY),
    ("mechanism", MECHANISM),
    ("safety", SAFETY),
    ("efficacy", EFFICACY),
    ("access_cost", ACCESS),
    ("weak_durability", DURABILITY_WEAK),
    ("weak_mechanism", BRAIN),
    ("weak_regulatory", AGENCY),
)
TYPE_CUES = _scanner(TYPE_GROUPS)
ACCESS_NEGATIVE = _rx(
    r"""\b(?:(?:not|cannot|no|never|rarely|seldom|\w+n['’]t)\s+(?:[\w-]+\s+){0,2}?(?:cover\w*|available|reimburs\w*
    |accessible|afford\w*|subsidi[sz]\w*|buy|obtain|access)|unaffordable|inaccessible|out\ of\ reach)"""
)
# Inactive arms (placebo, waiting list, a low or other dose of the same drug): a result against one of
# these is an efficacy claim; "comparison" is for results against another treatment.
PLACEBO = _lexicon(CLAIM_CUES, "placebo")
# Named active comparators: "remission rates were 57% with psilocybin and 28% with escitalopram".
ACTIVE_COMPARATOR = _rx(
    r"\b(?:escitalopram|sertraline|paroxetine|fluoxetine|venlafaxine|ssris?|ect|electroconvulsive|talk\ therapy)\b"
)

# ---------- polarity

NEGATION = _rx(
    r"\b(?:not|no|never|neither|nor|without|cannot|failed\ to|fail\ to|fails\ to|unable\ to|lack\ of|\w+n['’]t)\b"
)
NEGATIVE_RESULT = _rx(
    r"""\b(?:did\ not|didn['’]t|does\ not|doesn['’]t|failed\ to|no\ (?:statistically\ )?(?:significant|meaningful
    |clear)\ (?:\w+\ )?(?:difference|effect|benefit|improvement|change)|not\ (?:statistically\ )?significant
    |no\ better\ than|no\ more\ effective|did\ not\ differ|ineffective|wore\ off|wears?\ off|fade[sd]?|fading
    |short-lived)"""
)
REGULATORY_NEGATIVE = _rx(
    r"""\b(?:not\ (?:yet\ )?(?:been\ )?(?:fda[- ])?approv\w*|declin\w*\ to\ approve|reject\w*|den(?:y|ied|ies)
    |complete\ response\ letter|illegal|banned|unapproved|remains?\ (?:a\ )?schedule\ (?:i|1)\b
    |(?:is|are|remains?)\ (?:still\ )?(?:a\ )?controlled|no\ (?:\w+\ )?approv\w*|voted\ (?:down|against)
    |(?:has|have|had)\ not|hasn['’]t|haven['’]t|won['’]t|(?:is|are|was|remains?|still)\ (?:still\ )?(?:a\ )?schedule\ (?:i|1)\b
    |wait\w*\ for\ (?:[\w-]+\ ){0,3}(?:to\ be\ )?approv|awaiting\ (?:\w+\ )?approval|yet\ to\ be\ approved
    |pending\ approval)"""
)
# Clauses describing the patients ("whose depression has not responded") don't negate the claim.
PATIENT_CLAUSE = _rx(
    r"""\b(?:who|whose|that|which)\ (?:\w+\ ){0,4}?(?:not|never|n['’]t|failed\ to)\ (?:\w+\ ){0,3}?
    (?:respond\w*|help\w*|work\w*|improv\w*)\b"""
)

# ---------- strength, hedges, hype, attribution

CORRELATIONAL = _lexicon(CLAIM_CUES, "correlational")
CONDITIONAL = _lexicon(CLAIM_CUES, "conditional")
HEDGE_LIMIT = _lexicon(HEDGE_CUES, "limit")
HEDGE_DISTANCE = _lexicon(HEDGE_CUES, "distance")
HEDGE_MODAL = _lexicon(HEDGE_CUES, "modal")
HEDGE_EPISTEMIC = _lexicon(HEDGE_CUES, "epistemic")
HEDGE_STATUS = _lexicon(HEDGE_CUES, "status")
COMPARATIVE_LIKELY = ("less ", "more ", "as ")  # "less likely to relapse" is a statistic, not a hedge
MONTH_CONTEXT = _rx(r"(?:\b(?:in|since|by|on|until|from|of|last|next|this|early|late|mid-?|through)\s+$)")
MAY_AS_MONTH = _rx(r"may\s+(?:\d|of\b)")
PURPOSE_CLAUSE = _rx(r"(?:\bso\s+(?:that\s+)?(?:[\w-]+\s+){0,2}|\bwho\s+)$")  # "so patients can revisit trauma"
HYPE = _lexicon(HEDGE_CUES, "hype")
HYPE_NEGATED = _rx(
    r"\b(?:not|no|never|nor|isn['’]t|aren['’]t|far\ from|yet\ to\ be|rather\ than)\s+(?:[\w'’-]+\s+){0,6}$"
)

BREAKTHROUGH_LABEL_AFTER = _rx(r"^\W*(?:\w+\W+){0,2}?(?:designation|status)\b")
BREAKTHROUGH_LABEL_BEFORE = _rx(r"\b(?:fda|granted|grants?|received|receives|awarded|earned|gave|given)\s+$")
FDA_APPROVED = _rx(
    r"\b(?:fda[- ]approved|approved\ by\ the\ fda)\b(?!\ (?:medications|drugs|treatments|antidepressants|options))"
)
ATTRIBUTION = _lexicon(CLAIM_CUES, "attribution")
WORDS = re.compile(r"[A-Za-z][\w'’-]*")
# Hedges, hype, attribution and strength cues in one scan; a cue counts once ("according to" is a
# distancing hedge and makes the claim attributed; "associated with" is a hedge and correlational).
CUES = _scanner(
    (
        ("definition", DEFINITION),
        ("negative_result", NEGATIVE_RESULT),
        ("placebo", PLACEBO),
        ("limit", HEDGE_LIMIT),
        ("distance", HEDGE_DISTANCE),
        ("modal", HEDGE_MODAL),
        ("epistemic", HEDGE_EPISTEMIC),
        ("status", HEDGE_STATUS),
        ("hype", HYPE),
        ("attribution", ATTRIBUTION),
        ("correlational", CORRELATIONAL),
        ("conditional", CONDITIONAL),
    )
)
HEDGE_KINDS = frozenset({"limit", "distance", "modal", "epistemic", "status"})
# Hedges that govern a news claim whatever the context (shared/reference/claims.md); the epistemic
# cues ("suggests", "whether", "possible") are checked with the hedge model, fitted on BioScope.
STRONG_HEDGES = ("limit", "distance", "modal", "status")


# ---------- helpers


def _pick(topic_ids: list[str], lower: str, before: int | None = None) -> str | None:
    """The first-mentioned topic (or the last one before `before`), narrower and named ones beating broader ones."""
    present = set(topic_ids)
    kept = [t for t in topic_ids if not any(NARROWER.get(other) == t for other in present)]
    if len(kept) > 1:
        kept = [t for t in kept if t not in CLASS_SUBSTANCES] or kept
    if len(kept) <= 1:
        return kept[0] if kept else None

    def position(topic: str) -> int:
        found = [at for probe in PROBES.get(topic, (topic.replace("_", " "),)) if (at := lower.find(probe)) >= 0]
        return min(found) if found else len(lower) + kept.index(topic)

    if before is not None:
        preceding = [t for t in kept if position(t) <= before]
        if preceding:
            return max(preceding, key=position)
    return min(kept, key=position)


def _most_frequent(counts: Counter[str], last_seen: dict[str, int]) -> str | None:
    """Most frequent, ties to the most recently seen."""
    if not counts:
        return None
    return max(counts, key=lambda topic: (counts[topic], last_seen[topic]))


def _is_non_claim(text: str, lower: str) -> bool:
    """Questions, headings, calls to action and title-like lines with no verb."""
    last = text.rstrip(CLOSING)[-1:]
    if last == "?" or CALL_TO_ACTION.match(lower) or (" us" in lower and CONTACT_US.search(lower)):
        return True
    count = len(text.split())
    if count < 4:
        return True
    if last not in (".", "!", "…", ":", ";"):  # no closing punctuation: a heading unless it reads as prose
        words = WORDS.findall(text)
        capitalised = sum(word[0].isupper() for word in words)
        if capitalised >= 0.5 * len(words) or count <= 6 or not VERB.search(lower):
            return True
    return (count <= 8 or ":" in text) and not VERB.search(lower)


@dataclass
class _Cues:
    hedges: list[str]
    limitation: bool
    hype: list[str]
    attributed: bool
    correlational: bool
    conditional: bool
    definition: bool
    negative_result: bool  # "did not differ", "failed to", "wore off" outside a description of the patients
    placebo: bool
    counts: Counter[str]  # cues found per cue list (hedge kinds after the month and purpose checks)


def _types(lower: str, has_condition: bool, cues: _Cues) -> tuple[str | None, str | None, int]:
    """Main and secondary claim type, and where the main type's first cue starts."""
    hits: dict[str, re.Match[str]] = {}  # first cue of each type
    weak: dict[str, re.Match[str]] = {}
    money = False
    if ("$" in lower or "£" in lower or "€" in lower) and (currency := CURRENCY.search(lower)):
        hits["access_cost"], money = currency, True
    for match in TYPE_CUES.finditer(lower):
        name = _cue_name(match)
        if name == "access_cost" and not money:
            money = bool(MONEY.fullmatch(match.group()))
        if name.startswith("weak_"):
            weak.setdefault(name[5:], match)
        else:
            if name not in hits or match.start() < hits[name].start():
                hits[name] = match
    weak = {name: m for name, m in weak.items() if name not in hits}
    if cues.definition:  # a definition is a claim only through these
        hits = {name: m for name, m in hits.items() if name in ("regulatory", "mechanism", "efficacy")}
        weak = {}
    if not hits:
        if not weak:
            return None, None, 0
        hits = weak
        weak = {}
    active_comparator = "comparison" in hits and not cues.placebo
    # Priority: legal status, then a comparison as predicate, then persistence, then the earliest of
    # the rest; a mechanism cue wins over efficacy words unless a condition or symptom is the object.
    if "regulatory" in hits:
        main = "regulatory"
    elif active_comparator:
        main = "comparison"
    elif "efficacy" in hits and not cues.placebo and ACTIVE_COMPARATOR.search(lower):
        main = "comparison"  # an outcome reported beside a named active treatment
        hits["comparison"] = hits["efficacy"]
    elif "durability" in hits and not ("safety" in hits and hits["safety"].start() < hits["durability"].start()):
        main = "durability"  # but "no adverse events ... during follow-up" is about safety
    elif "access_cost" in hits and money:
        main = "access_cost"
    else:
        # a comparison with placebo is an efficacy claim ("beat placebo on the MADRS")
        rest = {n: m for n, m in hits.items() if n != "comparison"} or {"efficacy": hits["comparison"]}
        if "mechanism" in rest and "efficacy" in rest and not has_condition and "symptom" not in lower:
            main = "mechanism"
        else:
            main = min(rest, key=lambda n: rest[n].start())
    if main not in ("efficacy", "comparison"):  # "a single session costs": no durability claim
        weak.pop("durability", None)
    others = {n: m for n, m in {**weak, **hits}.items() if n != main}
    if main == "efficacy" and "efficacy" not in hits:
        hits["efficacy"] = rest["efficacy"]
    if "comparison" in others:
        secondary: str | None = "comparison"
    else:
        secondary = min(others, key=lambda n: others[n].start()) if others else None
    return main, secondary, hits[main].start()


def _negated_before(lower: str, at: int) -> bool:
    """A negation in the same clause just before position `at`."""
    window = lower[max(0, at - 45) : at].replace("no longer", "")
    cut = max(window.rfind(","), window.rfind(";"))
    return bool(NEGATION.search(window[cut + 1 :]))


def _polarity(claim_type: str, lower: str, cue_at: int, cues: _Cues) -> str:
    if claim_type == "regulatory":
        negative = REGULATORY_NEGATIVE.search(lower) or _negated_before(lower, cue_at)
        return "negative" if negative else "positive"
    if claim_type == "access_cost":
        return "negative" if ACCESS_NEGATIVE.search(lower) else "positive"
    if claim_type == "safety":
        match = SAFETY.search(lower, cue_at)
        asserts_safety = bool(match and SAFE_WORD.match(match.group()))
        if match and match.group() == "safety":  # "safety concerns" vs "a good safety profile"
            asserts_safety = not re.search(r"concern|question|signal|warning|issue", lower)
        if _negated_before(lower, cue_at):
            asserts_safety = not asserts_safety
        elif not asserts_safety and MITIGATED.search(lower):
            asserts_safety = True
        return "positive" if asserts_safety else "negative"
    if cues.negative_result or _negated_before(lower, cue_at):
        return "negative"
    return "positive"


def _cues(lower: str, original: str) -> _Cues:
    """Hedge cues in order (and whether one is a limitation phrase), hype cues, attribution and strength flags."""
    found = _Cues([], False, [], False, False, False, False, False, False, Counter())
    for match in CUES.finditer(lower):
        kind, text = _cue_name(match), " ".join(match.group().split())
        if kind in HEDGE_KINDS:
            if _hedge_counts(kind, text, lower, match.start(), original):
                found.counts[kind] += 1
                found.hedges.append(text)
                found.limitation = found.limitation or kind == "limit"
            found.attributed = found.attributed or kind == "distance" or text == "believe"
            found.correlational = found.correlational or text == "associated with"
            continue
        if kind == "hype":
            if _hype_counts(text, lower, match.start(), match.end()):
                found.counts[kind] += 1
                found.hype.append(text)
            continue
        found.counts[kind] += 1
        if kind == "attribution":
            found.attributed = True
        elif kind == "correlational":
            found.correlational = True
        elif kind == "conditional":
            found.conditional = True
        elif kind == "definition":
            found.definition = True
        elif kind == "placebo":
            found.placebo = True
        elif not found.negative_result:
            clause = PATIENT_CLAUSE.search(lower)  # "patients who did not respond to SSRIs" negates nothing
            found.negative_result = not (clause and clause.start() <= match.start() < clause.end())
    return found


def _hedge_counts(kind: str, text: str, lower: str, at: int, original: str) -> bool:
    before = lower[max(0, at - 30) : at]
    if kind == "epistemic" and text == "likely":
        return not before.endswith(COMPARATIVE_LIKELY)
    if kind == "modal":
        if text == "may" and _is_month(lower, at, original):
            return False
        return not PURPOSE_CLAUSE.search(before)  # a modal in a purpose or relative clause doesn't govern the claim
    return True


def _is_month(lower: str, at: int, original: str) -> bool:
    """ "May" the month: capitalised inside a sentence after a date word ("in May", not "this may"), or before a date."""
    if MAY_AS_MONTH.match(lower, at):
        return True
    capital = len(original) == len(lower) and original[at] == "M"
    return capital and at > 0 and bool(MONTH_CONTEXT.search(lower[max(0, at - 30) : at]))


def _hype_counts(text: str, lower: str, start: int, end: int) -> bool:
    before = lower[max(0, start - 50) : start]
    # only the hype word's own clause: "no side effects and are completely safe" still claims safety
    before = before[max(before.rfind(","), before.rfind(";"), before.rfind(" and "), before.rfind(" but ")) + 1 :]
    if HYPE_NEGATED.search(before) and text != "no side effects":
        return False  # "there is no cure", "not proven"
    # "breakthrough therapy designation" is the FDA label, not a verdict
    return not (
        text == "breakthrough"
        and (
            BREAKTHROUGH_LABEL_AFTER.search(lower[end : end + 40])
            or BREAKTHROUGH_LABEL_BEFORE.search(lower[max(0, start - 20) : start])
        )
    )


def _learned_strength(text: str, features: dict[str, float], claim_type: str) -> tuple[str, float]:
    """The strength model's label and probability; a claim of effect always asserts some relation, so
    for those types "none" (the model's reading of most legal and price statements) gives way to the
    likeliest of correlational, conditional and causal."""
    probabilities = models.load("strength").probabilities(text, features | strength_features(text))
    if claim_type in RELATION_TYPES:
        probabilities.pop("none", None)
    best = max(probabilities, key=probabilities.__getitem__)
    return best, probabilities[best]


def _strength(cues: _Cues) -> str:
    if cues.correlational:
        return "correlational"
    if cues.conditional or any(cue in ("may", "might", "could", "can", "would") for cue in cues.hedges):
        return "conditional"
    return "causal"


# ---------- extraction


class _Context:
    """What the article has said so far: the substances it names, where, and the conditions it mentions."""

    def __init__(self) -> None:
        self.last_substance: str | None = None
        self.last_at: tuple[int, int] = (-1, -1)  # (sentence index, paragraph) where it was named
        self.last_specific: str | None = None  # the last one named that is not a class word ("psychedelics")
        self.specific_at: tuple[int, int] = (-1, -1)
        self.families: set[str] = set()  # substances named so far, narrower forms as their broader one
        self.conditions: Counter[str] = Counter()
        self.paired: dict[str, Counter[str]] = {}  # substance -> conditions named with it
        self.seen: dict[str, int] = {}  # condition -> index of the last sentence naming it

    def referent(self, sentence: Sentence, plural: bool) -> str | None:
        """The substance "the drug" or "it" in `sentence` stands for.

        The last one named, when that was in the same paragraph or at most ANAPHORA_WINDOW sentences
        back; a singular "the drug" after a class word ("psychedelics") is the drug named before it,
        a plural "these medicines" the class. Further away, only in a story that has named one
        substance, which is then the one. Otherwise none: a wrong subject is worse than none.
        """
        if plural and self.last_substance is not None and self._near(sentence, self.last_at):
            return self.last_substance
        if self.last_specific is not None and self._near(sentence, self.specific_at):
            return self.last_specific
        if len(self.families - CLASS_SUBSTANCES) == 1:
            return self.last_specific
        if self.last_substance in CLASS_SUBSTANCES and self._near(sentence, self.last_at):
            return self.last_substance
        return None

    @staticmethod
    def _near(sentence: Sentence, at: tuple[int, int]) -> bool:
        index, paragraph = at
        return paragraph == sentence.paragraph or sentence.index - index <= ANAPHORA_WINDOW

    def condition_for(self, substance: str, claim_type: str) -> str | None:
        if claim_type in PAIRED_CONDITION_TYPES and substance in self.paired:
            return _most_frequent(self.paired[substance], self.seen)
        if claim_type in ARTICLE_CONDITION_TYPES:
            return _most_frequent(self.conditions, self.seen)
        return None

    def update(
        self,
        sentence: Sentence,
        named: list[str],
        named_substance: str | None,
        substance: str | None,
        conditions: list[str],
    ) -> None:
        for condition in conditions:
            self.conditions[condition] += 1
            self.seen[condition] = sentence.index
            if substance is not None:
                self.paired.setdefault(substance, Counter())[condition] += 1
        self.families.update(NARROWER.get(topic, topic) for topic in named)
        if named_substance is not None:
            self.last_substance = named_substance
            self.last_at = (sentence.index, sentence.paragraph)
            if named_substance not in CLASS_SUBSTANCES:
                self.last_specific, self.specific_at = named_substance, self.last_at


def extract_claims(
    sentences: list[Sentence], topics_in: Callable[[str], dict[str, str]], learned: bool = True
) -> list[Claim]:
    """Claims of one article, in sentence order. `topics_in(text)` gives {topic_id: kind} for a sentence.

    ``learned=False``: the rules alone (the strength from cues, no confidence), as before the models.
    """
    reference_paragraphs = {s.paragraph for s in sentences if REFERENCE_START.search(s.text)}
    claims: list[Claim] = []
    context = _Context()
    for sentence in sentences:
        text = sentence.text
        if sentence.paragraph in reference_paragraphs or (
            ("(" in text or ";" in text)
            and len(text.split()) <= REFERENCE_FRAGMENT_WORDS
            and REFERENCE_LOCATOR.search(text)
        ):
            continue  # reference lists neither claim nor set the article's topic
        topics = topics_in(text)
        lower = text.lower()
        substances = [t for t, kind in topics.items() if kind == "substance"]
        conditions = [t for t, kind in topics.items() if kind == "condition"]
        if "mdd" in conditions and "trd" not in conditions and TRD_PARAPHRASE.search(lower):
            conditions = ["trd" if c == "mdd" else c for c in conditions]
        named_substance = _pick(substances, lower)
        substance, phrase_words = named_substance, None
        if substance is None and context.last_substance and (phrase := referring_phrase(lower)):
            words = " ".join(phrase.group("phrase").split())
            substance = context.referent(sentence, plural=words.endswith("s") and words not in ("its", "this"))
            phrase_words = words if substance else None
        if substance is not None and not _is_non_claim(text, lower):
            claim = _claim(sentence, lower, substance, substances, _pick(conditions, lower), context, learned)
            if claim:
                claims.append(replace(claim, substance_phrase=phrase_words) if phrase_words else claim)
        context.update(sentence, substances, named_substance, substance, conditions)
    return claims


def _claim(
    sentence: Sentence,
    lower: str,
    substance: str,
    substances: list[str],
    condition: str | None,
    context: _Context,
    learned: bool,
) -> Claim | None:
    cues = _cues(lower, sentence.text)
    main, secondary, cue_at = _types(lower, condition is not None, cues)
    if main is None and cues.hype and not cues.definition:
        main, cue_at = "efficacy", 0  # an overclaim ("could transform psychiatry") asserts a benefit
    if main is None:
        return None
    if main == "regulatory" and len(substances) > 1:
        # "offers ketamine ... while we wait for MDMA to be approved": the status is the nearer drug's
        substance = _pick(substances, lower, before=cue_at) or substance
    if condition is None:
        condition = context.condition_for(substance, main)
    polar = lower
    if "not" in lower or "n't" in lower or "n’t" in lower or "never" in lower or "fail" in lower:
        polar = PATIENT_CLAUSE.sub(lambda m: " " * len(m.group()), lower)  # blank patient descriptions in place
    polarity = _polarity(main, polar, cue_at, cues)
    if main == "regulatory" and polarity == "positive" and substance in NOT_FDA_APPROVED and FDA_APPROVED.search(lower):
        cues.hype.append("fda-approved")  # status error: not approved as of the reference timeline
    hedged = bool(cues.hedges)
    strength, confidence = _strength(cues), None
    if learned:
        features = cue_features(sentence.text, cues)
        strength, confidence = _learned_strength(sentence.text, features, main)
        if hedged and not any(cues.counts[kind] for kind in STRONG_HEDGES):
            # an epistemic cue alone ("suggests", "possible") hedges when the hedge model agrees
            hedged = models.load("hedge").predict(sentence.text, features)[0] == "hedged"
    hedge_level = "none" if not hedged else "high" if cues.limitation or len(cues.hedges) > 1 else "low"
    return Claim(
        sentence_index=sentence.index,
        sentence=sentence.text,
        claim_type=main,
        secondary_type=secondary,
        substance=substance,
        condition=condition,
        polarity=polarity,
        strength=strength,
        confidence=round(confidence, 4) if confidence is not None else None,
        hedge_level=hedge_level,
        hedge_cues=tuple(cues.hedges),
        hype_cues=tuple(cues.hype),
        attributed=cues.attributed,
    )


def cue_features(text: str, cues: _Cues | None = None) -> dict[str, float]:
    """A sentence's rule cues as model features: how many cues of each list it holds (capped at 3).
    ``cues``: the sentence's cues when the caller already found them (they are not re-read)."""
    lower = text.lower()
    counts = Counter((cues or _cues(lower, text)).counts)
    for match in TYPE_CUES.finditer(lower):
        counts["type_" + _cue_name(match)] += 1
    return {name: float(min(n, 3)) for name, n in counts.items()}


# ---------- the strength model's own cues: how a sentence words a relation (strength_cues.toml)
# One scan counts the lists (at one place the list given first wins); a modal followed within three
# words by a cause, a relation or a benefit ("may reduce", "could be associated with", "may be
# effective") is counted apart, only in sentences that hold a modal.
STRENGTH_LISTS = ("no_difference", "finding", "registration", "status", "effect_of", "recommendation", "modal",
                  "relation", "cause", "negation", "than", "significance")  # fmt: skip
STRENGTH_SCAN = _scanner(tuple((name, _lexicon(STRENGTH_CUES, name)) for name in STRENGTH_LISTS))
_MODAL = reference.cue_list(STRENGTH_CUES, "modal").pattern()
MODAL_PAIRS = {
    f"modal_{name}": _rx(_MODAL + glue + reference.cue_list(STRENGTH_CUES, name).pattern())
    for name, glue in (("cause", r"\s+(?:\w+\s+){0,3}?"), ("relation", r"\s+(?:\w+\s+){0,3}?"), ("benefit", r"\s+"))
}
LENGTH_UNIT = 30  # words: the length feature is words / 30, capped at 2


def strength_features(text: str) -> dict[str, float]:
    """The strength model's features beside ``cue_features``: counts (capped at 3) of the strength cues, of a
    modal before a cause, relation or benefit, and the sentence's length in units of 30 words (capped at 2)."""
    lower = text.lower()
    counts = Counter(_cue_name(match) for match in STRENGTH_SCAN.finditer(lower))
    if counts["modal"]:
        counts.update({name: len(pattern.findall(lower)) for name, pattern in MODAL_PAIRS.items()})
    features = {f"s_{name}": float(min(n, 3)) for name, n in counts.items() if n}
    features["s_length"] = min(len(lower.split()), 2 * LENGTH_UNIT) / LENGTH_UNIT
    return features


def rule_strength(text: str) -> str:
    """The rules' strength of a sentence read as a claim: correlational, conditional or causal."""
    return _strength(_cues(text.lower(), text))
