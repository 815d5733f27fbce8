"""The study catalogue: sql/reference/studies.csv, checked row by row."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flows.analyse.reference import STUDIES


@dataclass(frozen=True)
class Study:
    key: str
    first_author: str
    year: int
    title: str
    journal: str
    doi: str | None
    pmid: str | None
    nct_id: str | None
    substance: str | None
    condition: str | None
    retracted: bool
    retraction_date: date | None


class StudiesError(ValueError):
    """A studies file that cannot be loaded; the message names the file, the line and the field."""


REQUIRED_COLUMNS = ("key", "first_author", "year", "title", "journal")
KEY_RE = re.compile(r"^[a-z0-9_]+$")
DOI_FULL_RE = re.compile(r"^10\.\d{4,9}/\S+$")
NCT_FULL_RE = re.compile(r"^NCT\d{8}$")


def load_studies(path: Path = STUDIES) -> list[Study]:
    """The catalogue, checked row by row; a bad row raises StudiesError naming file, line and field."""
    path = Path(path)
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as error:
        raise StudiesError(f"{path}: cannot read the studies file: {error}") from error
    studies: list[Study] = []
    seen: dict[str, int] = {}
    with handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        for column in REQUIRED_COLUMNS:
            if column not in columns:
                raise StudiesError(f"{path}, line 1, field '{column}': missing column (header is {columns})")
        line = reader.line_num + 1
        for row in reader:

            def fail(field: str, problem: str, _row=row, _line=line) -> StudiesError:
                return StudiesError(f"{path}, line {_line}, field '{field}': {problem} (got {_row.get(field)!r})")

            if None in row:  # more cells than header columns
                raise StudiesError(f"{path}, line {line}, field '{columns[-1]}': too many cells in the row")
            cells = {name: (value or "").strip() for name, value in row.items()}
            for column in REQUIRED_COLUMNS:
                if not cells.get(column):
                    raise fail(column, "empty")
            key = cells["key"]
            if not KEY_RE.match(key):
                raise fail("key", "must be lower-case letters, digits and underscores")
            if key in seen:
                raise fail("key", f"duplicate of line {seen[key]}")
            seen[key] = line
            try:
                year = int(cells["year"])
            except ValueError:
                raise fail("year", "not a whole number") from None
            if not 1900 <= year <= 2100:
                raise fail("year", "outside 1900-2100")
            doi = cells.get("doi") or None
            if doi and not DOI_FULL_RE.match(doi):
                raise fail("doi", "not a DOI (10.NNNN/...)")
            pmid = cells.get("pmid") or None
            if pmid and not pmid.isdigit():
                raise fail("pmid", "not a number")
            nct = cells.get("nct_id") or None
            if nct and not NCT_FULL_RE.match(nct):
                raise fail("nct_id", "not an NCT id (NCT and 8 digits)")
            flag = cells.get("retracted", "").lower()
            if flag not in ("true", "false") and not ("retracted" not in columns and flag == ""):
                raise fail("retracted", "must be true or false")
            retracted = flag == "true"
            when = cells.get("retraction_date") or None
            retraction_date = None
            if when:
                try:
                    retraction_date = date.fromisoformat(when)
                except ValueError:
                    raise fail("retraction_date", "not a YYYY-MM-DD date") from None
                if not retracted:
                    raise fail("retraction_date", "set on a study that is not retracted")
            studies.append(
                Study(
                    key=key,
                    first_author=cells["first_author"],
                    year=year,
                    title=cells["title"],
                    journal=cells["journal"],
                    doi=doi,
                    pmid=pmid,
                    nct_id=nct,
                    substance=cells.get("substance") or None,
                    condition=cells.get("condition") or None,
                    retracted=retracted,
                    retraction_date=retraction_date,
                )
            )
            line = reader.line_num + 1
    return studies
