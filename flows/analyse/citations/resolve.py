"""Which catalogued study a citation names (see the package docstring for the rules)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from flows.analyse.citations.catalogue import Study
from flows.analyse.citations.journals import NON_ALNUM_RE, fold, journals_match, surname_key
from flows.analyse.citations.parse import YEAR_SLACK, Citation

AUTHOR_MIN = 90.0  # rapidfuzz ratio on folded surnames: one letter off in a name of 7 or more letters
TITLE_HIGH = 85.0  # title similarity that can stand in for the journal
TITLE_VETO = 60.0  # a title this different names another paper
TITLE_PARTIAL_MIN = 40  # a shortened cited title this long can stand in for the journal
TITLE_SHORT_MIN = 20  # a shortened cited title this long is compared with the part it covers


@dataclass(frozen=True)
class Resolution:
    study_key: str | None
    method: str | None  # "doi", "pmid", "nct", "fuzzy"
    score: float | None  # 0-100 for fuzzy, 100 for identifiers


UNRESOLVED = Resolution(None, None, None)
PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "dos", "del", "di", "le", "la"})


def _surname_variants(name: str) -> set[str]:
    """Folded spellings a surname is cited under: von Rotz -> vonrotz, rotz; Ot'alora G -> otalorag, otalora."""
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    variants = {surname_key(name)}
    core = [w for w in words if fold(w) not in PARTICLES]
    if core and len(core) < len(words):
        variants.add(surname_key(" ".join(core)))
    while len(core) > 1 and len(core[-1].strip(".")) == 1:  # trailing initial of a two-part name
        core = core[:-1]
        variants.add(surname_key(" ".join(core)))
    return {v for v in variants if v}


def _title_key(title: str) -> str:
    return " ".join(NON_ALNUM_RE.sub(" ", fold(title)).split())


def _title_scores(cited: str, catalogued: str) -> tuple[float, float]:
    """How well a cited title supports a study, and how far it is from contradicting it (both 0-100).

    A cited title cut short (subtitle dropped) is compared with the part of the catalogued one it
    covers: for support only when it is long enough to be specific, for the veto whenever it is shorter.
    """
    score = float(max(fuzz.ratio(cited, catalogued), fuzz.token_sort_ratio(cited, catalogued)))
    if len(cited) >= len(catalogued):
        return score, score
    partial = float(fuzz.partial_ratio(cited, catalogued))
    support = max(score, partial) if len(cited) >= TITLE_PARTIAL_MIN else score
    return support, max(score, partial) if len(cited) >= TITLE_SHORT_MIN else score


class Resolver:
    """Ties citations to catalogued studies; build once, resolve many (indexes and caches are per instance)."""

    def __init__(self, studies: list[Study]):
        self.studies = list(studies)
        self._by_doi: dict[str, list[int]] = {}
        self._by_pmid: dict[str, list[int]] = {}
        self._by_nct: dict[str, list[int]] = {}
        self._by_surname: dict[str, set[int]] = {}
        for i, study in enumerate(self.studies):
            if study.doi:
                self._by_doi.setdefault(study.doi.lower(), []).append(i)
            if study.pmid:
                self._by_pmid.setdefault(study.pmid, []).append(i)
            if study.nct_id:
                self._by_nct.setdefault(study.nct_id.upper(), []).append(i)
            for variant in _surname_variants(study.first_author):
                self._by_surname.setdefault(variant, set()).add(i)
        self._surnames = list(self._by_surname)
        self._titles = [_title_key(s.title) for s in self.studies]
        self._journals = [s.journal for s in self.studies]
        self._author_cache: dict[str, list[tuple[int, float]]] = {}
        self._journal_cache: dict[tuple[str, int], bool] = {}

    def _unique(self, index: dict[str, list[int]], value: str | None, method: str) -> Resolution | None:
        hits = index.get(value or "", [])
        if len(hits) == 1:
            return Resolution(self.studies[hits[0]].key, method, 100.0)
        return None

    def resolve(self, citation: Citation, topics: Collection[str] = ()) -> Resolution:
        """The catalogue study a citation names, or UNRESOLVED.

        ``topics``: taxonomy ids the citing article discusses. They corroborate a bare
        author-year mention ("Zarate et al., 2006"), which resolves only when exactly one
        catalogue study fits the surname and year and it is about a substance or condition
        the article discusses.
        """
        doi = citation.doi.lower() if citation.doi else None
        nct = citation.nct_id.upper() if citation.nct_id else None
        by_identifier = (
            self._unique(self._by_doi, doi, "doi")
            or self._unique(self._by_pmid, citation.pmid, "pmid")
            or self._unique(self._by_nct, nct, "nct")
        )
        if by_identifier:
            return by_identifier
        fuzzy = self._fuzzy(citation, doi)
        return fuzzy if fuzzy.study_key else self._corroborated(citation, doi, topics)

    def _corroborated(self, citation: Citation, doi: str | None, topics: Collection[str]) -> Resolution:
        if not topics or not citation.first_author or citation.year is None or citation.journal or citation.title:
            return UNRESOLVED
        candidates = [
            i
            for i, author_score in self._authors(citation.first_author)
            if author_score >= 100 and abs(self.studies[i].year - citation.year) <= YEAR_SLACK
        ]
        if len(candidates) != 1 or doi:
            return UNRESOLVED
        study = self.studies[candidates[0]]
        if study.substance not in topics and study.condition not in topics:
            return UNRESOLVED
        return Resolution(study.key, "fuzzy", 80.0 if study.year == citation.year else 75.0)

    def _authors(self, surname: str) -> list[tuple[int, float]]:
        """Studies whose first author matches `surname`, with the match score (100 exact)."""
        key = surname_key(surname)
        cached = self._author_cache.get(key)
        if cached is not None:
            return cached
        scores: dict[int, float] = {}
        if len(key) >= 3:
            for variant, score, _ in process.extract(
                key, self._surnames, scorer=fuzz.ratio, score_cutoff=AUTHOR_MIN, limit=None
            ):
                for i in self._by_surname[variant]:
                    scores[i] = max(scores.get(i, 0.0), float(score))
        result = sorted(scores.items())
        if len(self._author_cache) < 100_000:
            self._author_cache[key] = result
        return result

    def _journal_matches(self, journal: str, i: int) -> bool:
        key = (journal, i)
        hit = self._journal_cache.get(key)
        if hit is None:
            hit = journals_match(journal, self._journals[i])
            if len(self._journal_cache) < 100_000:
                self._journal_cache[key] = hit
        return hit

    def _fuzzy(self, citation: Citation, doi: str | None) -> Resolution:
        if not citation.first_author or citation.year is None:
            return UNRESOLVED
        title = _title_key(citation.title) if citation.title else None
        accepted = []
        for i, author_score in self._authors(citation.first_author):
            study = self.studies[i]
            gap = abs(study.year - citation.year)
            if gap > YEAR_SLACK:
                continue
            # An identifier that names another paper vetoes the candidate.
            if (doi and study.doi and doi != study.doi.lower()) or (
                citation.pmid and study.pmid and citation.pmid != study.pmid
            ):
                continue
            journal_ok = bool(citation.journal) and self._journal_matches(citation.journal, i)
            title_score = None
            if title:
                title_score, closeness = _title_scores(title, self._titles[i])
                if closeness < TITLE_VETO:
                    continue
            title_ok = title_score is not None and title_score >= TITLE_HIGH
            if author_score >= 100:
                ok = journal_ok or title_ok
            else:  # a near-miss surname needs more: exact year and journal, or a near-identical title
                ok = (gap == 0 and journal_ok) or (title_score is not None and title_score >= 95)
            if not ok:
                continue
            evidence = max(100.0 if journal_ok else 0.0, title_score if title_ok else 0.0)
            if journal_ok and title_ok:
                evidence = 100.0
            score = 0.4 * author_score + 0.1 * (100.0 if gap == 0 else 70.0) + 0.5 * evidence
            accepted.append((i, author_score, gap, journal_ok, title_score or 0.0, round(score, 1)))
        if not accepted:
            return UNRESOLVED
        if len(accepted) > 1:
            accepted.sort(key=lambda a: (-a[4], not a[3], -a[1]))
            best, second = accepted[0], accepted[1]
            decided = (
                best[4] - second[4] >= 10  # the title decides
                or (best[3] and not second[3])  # then the journal
                or (best[1] >= 100 > second[1] and best[3] == second[3])  # then an exact surname
            )
            if not decided:
                return UNRESOLVED
        best = accepted[0]
        return Resolution(self.studies[best[0]].key, "fuzzy", best[5])
