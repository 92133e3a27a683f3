"""Parse ``../shared/course/catalog.md``'s part lists into DESIGN.md part ids (for tests only).

The catalog is Markdown: one ``## HWn — ...`` section per homework, each with a table whose first
column names parts as the course writes them: ``2(a)``, ``5(b)(iii)``, ``7``, ranges ``1(a–d)``,
``2(e)(i–iii)``, lists ``4(a,b), 5(d–h)``, ``7(b)(iii, vi, vii)``, and notes like ``(optional)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
_SECTION_RE = re.compile(r"^##\s+HW(\d+)\b")
_ROW_RE = re.compile(r"^\|\s*([^|]+?)\s*\|")
_ITEM_RE = re.compile(r"(\d+)((?:\([^()]*\))*)")


@dataclass
class CatalogEntry:
    """One part (or a whole question when the catalog names only its number)."""

    question: str
    ids: list[str] = field(default_factory=list)
    whole_question: bool = False


def _expand(group: str, romans: bool) -> list[str]:
    """``a–d`` -> a b c d; ``a,b`` -> a b; ``i–iii`` -> i ii iii; ``iii, vi, vii`` as listed."""
    out: list[str] = []
    for piece in re.split(r"\s*,\s*", group.strip()):
        m = re.fullmatch(r"([a-z]+)\s*[–-]\s*([a-z]+)", piece)
        if m:
            lo, hi = m.groups()
            if romans:
                out += _ROMANS[_ROMANS.index(lo) : _ROMANS.index(hi) + 1]
            else:
                out += [chr(c) for c in range(ord(lo), ord(hi) + 1)]
        elif re.fullmatch(r"[a-z]+", piece):
            out.append(piece)
    return out


def _is_roman_group(group: str) -> bool:
    return all(
        re.fullmatch(r"[ivx]+", t) for t in re.split(r"\s*[,–-]\s*", group.strip()) if t
    ) and not re.fullmatch(r"[a-h](?:\s*[,–-]\s*[a-h])*", group.strip())


def _items(cell: str) -> list[tuple[str, list[str]]]:
    cell = re.sub(r"\((?:optional|coding)[^)]*\)", "", cell, flags=re.I)
    return [(m.group(1), re.findall(r"\(([^()]*)\)", m.group(2))) for m in _ITEM_RE.finditer(cell)]


def parse_cell(cell: str, lettered: set[str] = frozenset()) -> list[CatalogEntry]:  # type: ignore[assignment]
    """The entries of one first-column cell, e.g. ``3, 4(a–c), 7(a)(i–ix)``.

    ``lettered``: questions that have lettered parts elsewhere, where a lone ``(i)`` is the letter i.
    """
    entries = []
    for q, groups in _items(cell):
        if not groups:
            entries.append(CatalogEntry(q, [f"q{q}"], whole_question=True))
            continue
        lone_letter = q in lettered and groups[0].strip() in ("i", "v", "x")
        roman = _is_roman_group(groups[0]) and not lone_letter
        letters = _expand(groups[0], romans=False) if not roman else []
        if not letters:  # a question with roman parts only
            entries.append(CatalogEntry(q, [f"q{q}_{r}" for r in _expand(groups[0], romans=True)]))
            continue
        if len(groups) >= 2 and len(letters) == 1:
            # 2(c)(ii)(1–4): DESIGN.md ids stop at the roman level
            romans = _expand(groups[1], romans=True)
            entries.append(CatalogEntry(q, [f"q{q}{letters[0]}_{r}" for r in romans]))
        else:
            entries.append(CatalogEntry(q, [f"q{q}{x}" for x in letters]))
    return entries


def parse_catalog(path: Path) -> dict[int, list[CatalogEntry]]:
    """Homework number -> the catalog's entries, in table order."""
    cells: dict[int, list[str]] = {}
    hw: int | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        sec = _SECTION_RE.match(line)
        if sec:
            hw = int(sec.group(1))
            cells[hw] = []
            continue
        if line.startswith("## "):
            hw = None
        row = _ROW_RE.match(line)
        if hw is None or not row:
            continue
        cell = row.group(1)
        if cell.lower() == "part" or set(cell) <= {"-", " ", ":"}:
            continue
        cells[hw].append(cell)
    out: dict[int, list[CatalogEntry]] = {}
    for number, rows in cells.items():
        lettered = {
            q for row in rows for q, groups in _items(row) if groups and not _is_roman_group(groups[0])
        }
        out[number] = [e for row in rows for e in parse_cell(row, lettered)]
    return out
