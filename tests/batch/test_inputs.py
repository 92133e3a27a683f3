"""Output names: unique when two inputs share a file name, stable, and plain for a flat folder."""

from __future__ import annotations

import json
from pathlib import Path

from grader.batch import batch_inputs
from grader.cli import main
from tests.batch.conftest import SAMPLES


def _touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_same_file_name_in_two_folders_gets_two_names(tmp_path: Path) -> None:
    a = _touch(tmp_path / "thread_1" / "chat.md")
    b = _touch(tmp_path / "thread_2" / "chat.md")
    # found in a folder argument: the path below it
    assert [i.name for i in batch_inputs([tmp_path])] == ["thread_1/chat", "thread_2/chat"]
    # given as files: as many parent folders as needed to differ
    assert [i.name for i in batch_inputs([a, b])] == ["thread_1/chat", "thread_2/chat"]


def test_names_are_plain_stems_when_nothing_collides(tmp_path: Path) -> None:
    _touch(tmp_path / "a.md")
    _touch(tmp_path / "b.txt")
    _touch(tmp_path / "sub" / "c.json")
    assert [i.name for i in batch_inputs([tmp_path])] == ["a", "b", "sub/c"]
    assert [i.name for i in batch_inputs([tmp_path / "sub" / "c.json"])] == ["c"]


def test_same_stem_side_by_side_keeps_the_suffix(tmp_path: Path) -> None:
    _touch(tmp_path / "x.md")
    _touch(tmp_path / "x.json")
    assert sorted(i.name for i in batch_inputs([tmp_path])) == ["x.json", "x.md"]


def test_names_do_not_depend_on_argument_order(tmp_path: Path) -> None:
    a = _touch(tmp_path / "p" / "x.md")
    b = _touch(tmp_path / "q" / "x.md")
    forward = {str(i.path): i.name for i in batch_inputs([a, b])}
    backward = {str(i.path): i.name for i in batch_inputs([b, a])}
    assert forward == backward


def test_a_file_given_twice_is_graded_once(tmp_path: Path) -> None:
    a = _touch(tmp_path / "x.md")
    assert len(batch_inputs([a, tmp_path, a])) == 1


def test_cli_writes_one_report_per_input_for_same_named_files(tmp_path: Path) -> None:
    src = (SAMPLES / "chatgpt_hw2_writeup.txt").read_text(encoding="utf-8")
    other = (SAMPLES / "deepseek_hw2_plain.txt").read_text(encoding="utf-8")
    _touch(tmp_path / "in" / "thread_1" / "sub.txt", src)
    _touch(tmp_path / "in" / "thread_2" / "sub.txt", other)
    out = tmp_path / "out"
    assert (
        main(["grade", str(tmp_path / "in"), "--out", str(out), "--format", "json,html", "--jobs", "1"]) == 0
    )
    one = json.loads((out / "thread_1" / "sub.report.json").read_text(encoding="utf-8"))
    two = json.loads((out / "thread_2" / "sub.report.json").read_text(encoding="utf-8"))
    assert one != two  # two reports, neither overwrote the other
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="thread_1/sub.report.html"' in index and 'href="thread_2/sub.report.html"' in index
