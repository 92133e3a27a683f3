"""``grader equiv --batch`` and ``grader check --batch`` answer every line, bad ones with an error
object that names the line, and always print encodable JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader import cli

BAD_LINES = [
    # --- not a JSON object ---
    (b"[1, 2, 3]", "expected a JSON object, got an array"),
    (b"42", "expected a JSON object, got a number"),
    (b'"text"', "expected a JSON object, got a string"),
    (b"null", "expected a JSON object, got null"),
    # --- not JSON, not UTF-8, too deep ---
    (b"{not json", "invalid JSON"),
    (b"\xff\xfe bytes", "not UTF-8 text"),
    (b'{"a": ' * 5000 + b"1" + b"}" * 5000, "missing field(s)"),  # deep, still read
    (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    # --- fields missing or of the wrong type ---
    (b'{"reference": "x"}', "missing field(s) answer"),
    (b'{"reference": "x", "answer": 5}', "field 'answer' must be a string, got a number"),
    (b'{"reference": ["x"], "answer": "x"}', "field 'reference' must be a string, got an array"),
]


def _run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, lines: list[bytes]
) -> tuple[int, list]:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    rc = cli.main([command, "--batch", str(path)])
    return rc, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("raw,error", BAD_LINES)
def test_bad_line_gets_an_error_object_and_the_batch_goes_on(
    raw: bytes, error: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = b'{"id": "g", "reference": "x + 1", "answer": "1 + x"}'
    rc, out = _run(tmp_path, capsys, "equiv", [good, raw, good])
    assert rc == 1
    assert [o["line"] for o in out] == [1, 2, 3]
    assert out[0]["verdict"] == out[2]["verdict"] == "correct"
    assert out[1]["verdict"] == "unparseable" and out[1]["error"].startswith("line 2: ")
    assert error in out[1]["error"]


def test_lone_surrogates_in_and_out_still_encode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [json.dumps({"reference": "x\ud800", "answer": "\udfff"}).encode()]
    rc, out = _run(tmp_path, capsys, "equiv", lines)
    assert out[0]["verdict"] == "unparseable" and "\ud800" not in json.dumps(out[0], ensure_ascii=False)


def test_unknown_target_is_that_lines_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        b'{"id": 1, "target": "nope.q1.x", "claim": "1"}',
        b'{"id": 2, "target": "cs182-fa25-hw2.q5.ring_count", "claim": "2n(n-1)"}',
    ]
    rc, out = _run(tmp_path, capsys, "check", lines)
    assert rc == 1
    assert out[0]["verdict"] == "unparseable" and "unknown homework" in out[0]["error"]
    assert out[1]["verdict"] == "correct" and out[1]["seconds"] >= 0


def test_huge_numbers_in_explanations_do_not_break_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.dumps({"reference": "10^{4000}", "answer": "10^{4000} + 1"}).encode()]
    rc, out = _run(tmp_path, capsys, "equiv", lines)
    assert out[0]["verdict"] == "incorrect"
    assert len(out[0]["explanation"]) < 300
