"""Citations in news text, and which catalogued study each one points to.

``find_citations`` reads an article's sentences (from ``flows.text.sentences``) and
the URLs it links to, and returns what it cites, strongest evidence first in
mind, though in text order:

- ``reference``: an entry of a reference list, in APA ("Mithoefer, M. C., et al.
  (2018). Title. The Lancet Psychiatry, 5(6), 486-497."), Vancouver/AMA
  ("Mithoefer MC, ... et al. Title. Lancet Psychiatry. 2018;5(6):486-97.") or
  Nature style ("Mitchell, J. M. et al. Title. Nat. Med. 27, 1025-1033 (2021).").
  The sentence splitter cuts such an entry into pieces, so entries are read
  from whole paragraphs (one line of text), several per line when numbered or
  bulleted. A paragraph that holds a reference entry yields nothing else.
- ``author-year``: "(Mithoefer et al., 2018)", "Mithoefer et al. (2018)",
  "Mitchell and colleagues ... 2021", "a 2021 study led by Jennifer Mitchell".
  When the article's own reference list has exactly one entry with that author
  and year, the mention takes the entry's journal, title and identifiers; when
  the same sentence names a journal ("... published in Nature Medicine"), the
  mention takes that journal and no separate venue citation is made.
- ``venue``: "a 2021 study published in Nature Medicine", "in The Lancet
  Psychiatry in 2018": journal and year, no author.
- ``identifier``: DOI (Crossref's pattern), "PMID: 123", PMC ids, NCT, ISRCTN,
  EudraCT and arXiv ids; medRxiv/bioRxiv ids are DOIs (10.1101/...).
- ``link``: a URL from the page that names a paper or a trial: doi.org,
  PubMed, PMC, ClinicalTrials.gov, ISRCTN, arXiv, Nature and Lancet article
  pages, and any publisher URL whose path holds a DOI (nejm.org/doi/full/...).

``Resolver.resolve`` ties a citation to a row of ``sql/reference/studies.csv``:
by DOI, then PMID, then NCT id, then a fuzzy match that needs all of: the first
author (rapidfuzz ratio >= 90 on the folded surname), the year within one (print
against online-first), and a matching journal (compared once abbreviations are written out in
full: journals.csv, then JabRef's list in journal_abbreviations.csv) or a highly similar title. A
near-miss surname ("Mitchel") must also have the exact year and the journal (or
a near-identical title). A title that clearly differs, or an identifier that
differs from the study's, vetoes a candidate. When two studies pass (Mithoefer
2018 and 2019 for "Mithoefer 2019" and the Lancet Psychiatry), the title and
then the journal decide, and if neither does the citation stays unresolved: a
wrong match is worse than none. A journal and year alone (a venue mention) never
resolve: many papers share both.
"""

from flows.analyse.citations.catalogue import StudiesError, Study, load_studies
from flows.analyse.citations.journals import journals_match, normalize_journal
from flows.analyse.citations.parse import KINDS, Citation, find_citations
from flows.analyse.citations.resolve import UNRESOLVED, Resolution, Resolver
from flows.analyse.reference import STUDIES

__all__ = [
    "KINDS",
    "STUDIES",
    "UNRESOLVED",
    "Citation",
    "Resolution",
    "Resolver",
    "StudiesError",
    "Study",
    "find_citations",
    "journals_match",
    "load_studies",
    "normalize_journal",
]
