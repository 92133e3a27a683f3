"""The parts read from the course's 14 question PDFs against the catalog's part lists (../shared/course).

The catalog (``catalog.md``) lists every written part of every homework in Markdown tables, sometimes
coarser than the PDF: "3(d)" for a part whose PDF numbers (i) and (ii). A catalog id counts as found
when the reader found it, or found its sub-parts. The figures are printed (``pytest -s``) and kept in
BENCHMARKS.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.course.numbering import covers
from grader.course.pdf_questions import read_question_pdf
from tests.course.catalog import parse_catalog, parse_cell


@pytest.fixture(scope="module")
def catalog(shared: Path) -> dict[int, list[object]]:
    path = shared / "course" / "catalog.md"
    if not path.exists():
        pytest.skip("no catalog.md in ../shared/course")
    return parse_catalog(path)  # type: ignore[return-value]


@pytest.mark.parametrize(
    "cell, ids",
    [
        ("2(a)", ["q2a"]),
        ("5(b)(iii)", ["q5b_iii"]),
        ("7", ["q7"]),
        ("1(a–d)", ["q1a", "q1b", "q1c", "q1d"]),
        ("2(e)(i–iii)", ["q2e_i", "q2e_ii", "q2e_iii"]),
        ("4(a,b), 5(d–h)", ["q4a", "q4b", "q5d", "q5e", "q5f", "q5g", "q5h"]),
        ("7(b)(iii, vi, vii)", ["q7b_iii", "q7b_vi", "q7b_vii"]),
        ("2(c)(ii)(1–4)", ["q2c_ii"]),
        ("9(a) (optional)", ["q9a"]),
    ],
)
def test_catalog_cells(cell: str, ids: list[str]) -> None:
    assert [i for e in parse_cell(cell) for i in e.ids] == ids


def test_a_lone_i_is_a_letter_where_the_question_has_letters() -> None:
    assert parse_cell("2(i)", {"2"})[0].ids == ["q2i"]
    assert parse_cell("2(i)")[0].ids == ["q2_i"]


def test_parts_agree_with_the_catalog(shared: Path, catalog: dict[int, list[object]]) -> None:
    exact = coarser = total = 0
    missing: list[str] = []
    rows = []
    for hw, entries in sorted(catalog.items()):
        pdf = shared / "course" / f"hw{hw}.pdf"
        ids = {p.id for p in read_question_pdf(pdf, f"hw{hw}").parts()}
        hw_exact = hw_total = 0
        for entry in entries:
            for cid in entry.ids:  # type: ignore[attr-defined]
                total += 1
                hw_total += 1
                if cid in ids:
                    exact += 1
                    hw_exact += 1
                elif any(covers(cid, i) for i in ids):
                    coarser += 1  # the catalog names a part whose sub-parts the PDF numbers
                else:
                    missing.append(f"hw{hw}:{cid}")
        rows.append(f"hw{hw}: {hw_exact}/{hw_total}")
    print(f"\ncatalog parts found: exact {exact}/{total}, as sub-parts {coarser}, missing {missing}")
    print("; ".join(rows))
    assert len(catalog) == 14
    assert not missing
    assert exact / total >= 0.97
