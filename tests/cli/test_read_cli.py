"""`grader read`: one line per turn and the warnings; `--json`: one grader.transcript/1 object per
conversation; bad files get an error line and the others are still read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.cli import main
from grader.transcripts.schema import TRANSCRIPT_SCHEMA, schema_problems

CHAT = """## User

What is the gradient of $x^2$ with respect to $x$?

## Assistant

The gradient is $2x$, since the derivative of a square doubles its base.
"""


@pytest.fixture()
def chat(tmp_path: Path) -> Path:
    path = tmp_path / "chat.md"
    path.write_text(CHAT, encoding="utf-8")
    return path


def test_human_output_has_a_line_per_turn(chat: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read", str(chat)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "chat.md" in lines[0]
    turn_lines = lines[1:]
    assert len(turn_lines) == 2
    assert turn_lines[0].split()[:2] == ["0", "user"]
    assert turn_lines[1].split()[:2] == ["1", "assistant"]
    assert "The gradient is" in turn_lines[1]


def test_json_is_a_valid_transcript_object(chat: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read", "--json", str(chat)]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert schema_problems(obj) == []
    assert obj["schema"] == TRANSCRIPT_SCHEMA
    assert [t["role"] for t in obj["turns"]] == ["user", "assistant"]
    assert all(b["page"] is None for t in obj["turns"] for b in t["blocks"])  # Markdown has no pages


def test_several_files_give_one_object_per_line_and_a_bad_one_an_error(
    chat: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    other = tmp_path / "other.md"
    other.write_text(CHAT.replace("x^2", "x^3").replace("2x", "3x^2"), encoding="utf-8")
    code = main(["read", "--json", str(chat), str(broken), str(other)])
    captured = capsys.readouterr()
    objects = [json.loads(line) for line in captured.out.splitlines()]
    assert code == 1
    assert [o["source"] for o in objects] == ["chat.md", "broken.pdf", "other.md"]
    assert all(schema_problems(o) == [] for o in objects)
    assert "error" in objects[1] and objects[1]["turns"] == []
    assert "broken.pdf" in captured.err and captured.err.startswith("error: ")


def test_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.pdf"
    assert main(["read", str(missing)]) != 0
    assert "nowhere.pdf" in capsys.readouterr().err


def test_pdf_turns_carry_their_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pymupdf")
    from tests.transcripts_pdf.pdfgen import GREY, build

    first = [
        ("fill", 300, 60, 560, 100, GREY),
        ("text", 310, 85, "Please derive the update of question 1."),
        ("text", 36, 140, "The update subtracts the step size times the gradient from the weights."),
        ("text", 36, 156, "Each step moves the weights against the direction of steepest ascent,"),
        ("text", 36, 172, "so the loss decreases when the step size is small enough for the curvature."),
    ]
    second = [
        ("fill", 300, 60, 560, 100, GREY),
        ("text", 310, 85, "Now derive the update with momentum."),
        ("text", 36, 140, "With momentum the velocity accumulates the past gradients first."),
        ("text", 36, 156, "The weights then move along the velocity instead of the raw gradient,"),
        ("text", 36, 172, "which damps the oscillations across a narrow valley of the loss surface."),
    ]
    path = tmp_path / "two_pages.pdf"
    path.write_bytes(build([first, second]))
    assert main(["read", "--json", str(path)]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert schema_problems(obj) == []
    starts = [(t["role"], t["blocks"][0]["page"]) for t in obj["turns"]]
    assert starts == [("user", 1), ("assistant", 1), ("user", 2), ("assistant", 2)]


@pytest.mark.parametrize(
    "obj,problem",
    [
        ({"schema": "grader.report/1"}, "schema is 'grader.report/1'"),
        (
            {
                "schema": TRANSCRIPT_SCHEMA,
                "source": "x",
                "format": "md",
                "turns": [{"index": 0, "role": "bot"}],
            },
            "turns[0].role 'bot'",
        ),
        (
            {
                "schema": TRANSCRIPT_SCHEMA,
                "source": "x",
                "format": "pdf",
                "warnings": [],
                "turns": [
                    {
                        "index": 0,
                        "role": "user",
                        "blocks": [{"kind": "text", "text": "hi", "fidelity": "exact", "page": 0}],
                    }
                ],
            },
            "turns[0].blocks[0].page 0",
        ),
        (
            {
                "schema": TRANSCRIPT_SCHEMA,
                "source": "x",
                "format": "md",
                "warnings": [],
                "turns": [{"index": 1, "role": "user", "blocks": []}],
            },
            "turns[0].index is 1",
        ),
    ],
)
def test_schema_problems_name_what_is_wrong(obj: dict, problem: str) -> None:
    assert any(p.startswith(problem) for p in schema_problems(obj)), schema_problems(obj)


def test_corpus_exports_and_real_pdfs_read_as_valid_objects(
    shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every non-PDF submission of the corpus (Markdown, JSON, Word) and the four real PDFs: valid
    grader.transcript/1 with at least one turn (`benchmarks/bench_reading.py` checks every corpus file)."""
    pytest.importorskip("pymupdf")
    files = [
        p
        for p in sorted((shared / "corpus").glob("thread_*/*"))
        if p.suffix.lower() in (".md", ".json", ".docx")
    ]
    files += sorted((shared / "real").glob("*.pdf"))
    assert len(files) >= 5
    main(["read", "--json", *map(str, files)])
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # a file holding several conversations gives one object each, named FILE#0, FILE#1, ...
    assert {o["source"].split("#")[0] for o in objects} == {p.name for p in files}
    for o in objects:
        assert schema_problems(o) == [], o["source"]
        assert "error" not in o and o["turns"], o["source"]
