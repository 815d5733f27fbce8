"""Build sql/reference/journal_abbreviations.csv from JabRef's journal abbreviation list.

    apt-get download jabref        # Debian's package: JabRef 3.8.2, MIT (Expat) licence
    uv run python bench/journal_list.py jabref_3.8.2+ds-17_all.deb

JabRef ships ``journals/journalList.txt`` inside its jar: one ``Full Title = ISO. Abbrev.`` per line,
about 15,000 journals of every field (MEDLINE's titles among them). The output keeps the pairs where
the abbreviation says something the title does not (``Addiction = Addiction`` is dropped), sorted by
title, with the abbreviation as published (dotted ISO 4); ``flows/analyse/citations/journals.py``
matches it with or without dots, so NLM's dotless form ("J Psychopharmacol") is found too. It is
not cut by subject: under 1 MB, and a psychedelic story cites chemistry and physics journals too.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import tarfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "sql" / "reference" / "journal_abbreviations.csv"
LIST_IN_JAR = "journals/journalList.txt"


def _jar_bytes(deb: Path) -> bytes:
    """The JabRef jar inside a Debian package (dpkg-deb unpacks the data archive, whatever its compression)."""
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            if re.search(r"/JabRef-[\d.]+\.jar$", member.name):
                return tar.extractfile(member).read()
    raise SystemExit(f"{deb}: no JabRef jar inside")


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())


def pairs(jar: bytes) -> list[tuple[str, str]]:
    """(title, abbreviation) pairs of the list, the uninformative ones dropped."""
    with zipfile.ZipFile(io.BytesIO(jar)) as archive:
        text = archive.read(LIST_IN_JAR).decode("utf-8")
    rows = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        title, sep, abbreviation = line.partition(" = ")
        if not sep:
            raise SystemExit(f"{LIST_IN_JAR}, line {number}: no ' = ' between title and abbreviation")
        title, abbreviation = " ".join(title.split()), " ".join(abbreviation.split())
        if title and abbreviation and _key(title) != _key(abbreviation):
            rows.add((title, abbreviation))
    return sorted(rows, key=lambda row: (row[0].lower(), row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path, help="jabref_*.deb (or the JabRef jar itself)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    jar = args.package.read_bytes() if args.package.suffix == ".jar" else _jar_bytes(args.package)
    rows = pairs(jar)
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("journal", "abbreviation"))
        writer.writerows(rows)
    print(f"{args.out}: {len(rows)} journal abbreviations from {args.package.name}")


if __name__ == "__main__":
    main()
