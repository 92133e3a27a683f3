"""The result cache: a re-run reuses what is unchanged and says so; any change of file, rubric or grader
invalidates; --no-cache re-grades."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.batch import (
    BatchOptions,
    GradeTask,
    ResultCache,
    cache_key,
    grade_files,
    rubrics_version,
    run_task,
)
from grader.batch import cache as cache_module
from grader.cli import main
from grader.rubric import RUBRICS_DIR
from tests.batch.conftest import SAMPLES, outputs


def _options(tmp_path: Path, **kw) -> BatchOptions:
    return BatchOptions(jobs=1, cache_dir=tmp_path / "cache", formats=("json", "html"), **kw)


def test_rerun_hits_the_cache_and_writes_the_same_reports(inputs: Path, tmp_path: Path, capsys) -> None:
    argv = ["grade", str(inputs), "--out", str(tmp_path / "out"), "--format", "json,html,csv", "--jobs", "1"]
    main(argv)
    first_out = outputs(tmp_path / "out")
    assert "0 from the cache" in capsys.readouterr().out
    shutil.rmtree(tmp_path / "out" / "thread", ignore_errors=True)
    for p in (tmp_path / "out").iterdir():
        if p.is_file():
            p.unlink()  # the reports go, the cache (OUT/.grader-cache by default) stays
    main(argv)
    log = capsys.readouterr().out
    # three readable files are cached; the empty file's error is cached too (it depends only on content)
    assert "4 from the cache" in log
    assert outputs(tmp_path / "out") == first_out
    assert (tmp_path / "out" / ".grader-cache").is_dir()


def test_no_cache_grades_again(inputs: Path, tmp_path: Path) -> None:
    grade_files([inputs], _options(tmp_path))
    assert grade_files([inputs], _options(tmp_path)).cached == 4
    assert grade_files([inputs], _options(tmp_path, use_cache=False)).cached == 0


def test_a_changed_file_is_graded_again(inputs: Path, tmp_path: Path) -> None:
    grade_files([inputs], _options(tmp_path))
    md = inputs / "claude_hw7_roles.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nUser: thanks!\n", encoding="utf-8")
    result = grade_files([inputs], _options(tmp_path))
    assert {f.name: f.cached for f in result.files} == {
        "chatgpt_hw2_writeup": True,
        "claude_hw7_roles": False,
        "empty": True,
        "exports/gemini_takeout_hw2": True,
    }


def test_a_changed_rubric_version_invalidates(tmp_path: Path) -> None:
    data = (SAMPLES / "chatgpt_hw2_writeup.txt").read_bytes()
    cache = ResultCache(tmp_path / "cache")
    outcome = run_task(GradeTask("chat", "chat.txt", data, formats=("json",)))
    version = rubrics_version()
    assert cache.put(cache_key(data, "chat.txt", version), outcome)
    assert cache.get(cache_key(data, "chat.txt", version), "chat") is not None
    # an edited rubric file changes the version, so the old entry is not found (rubrics are loaded once
    # per process and folder, hence two copies)
    same, changed = tmp_path / "same", tmp_path / "changed"
    shutil.copytree(RUBRICS_DIR, same)
    shutil.copytree(RUBRICS_DIR, changed)
    hw2 = changed / "cs182-fa25-hw2.yaml"
    hw2.write_text(hw2.read_text(encoding="utf-8") + "\n# a TA's edit\n", encoding="utf-8")
    assert rubrics_version(same) == version  # same files elsewhere: same version
    edited = rubrics_version(changed)
    assert edited != version
    assert cache.get(cache_key(data, "chat.txt", edited), "chat") is None
    # so does asking for a fixed homework
    assert rubrics_version(homework="cs182-fa25-hw2") != version


def test_a_changed_grader_source_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "grader"
    shutil.copytree(cache_module.GRADER_DIR, src, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "GRADER_DIR", src)
    cache_module.grader_version.cache_clear()
    before = cache_module.grader_version()
    (src / "pipeline.py").write_text((src / "pipeline.py").read_text() + "\n# changed\n")
    cache_module.grader_version.cache_clear()
    after = cache_module.grader_version()
    monkeypatch.undo()
    cache_module.grader_version.cache_clear()
    assert before != after and before.split("+")[0] == after.split("+")[0]
    data = b"anything"
    assert cache_key(data, "x", "r", grader=before) != cache_key(data, "x", "r", grader=after)


def test_results_that_depend_on_the_run_are_not_cached(inputs: Path, tmp_path: Path) -> None:
    grade_files([inputs / "claude_hw7_roles.md"], _options(tmp_path, time_limit_s=0.001))
    result = grade_files([inputs / "claude_hw7_roles.md"], _options(tmp_path))
    assert result.cached == 0 and not result.failures


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    data = (SAMPLES / "chatgpt_hw2_writeup.txt").read_bytes()
    cache = ResultCache(tmp_path / "cache")
    key = cache_key(data, "chat.txt", rubrics_version())
    cache.put(key, run_task(GradeTask("chat", "chat.txt", data, formats=("json",))))
    cache.path(key).write_bytes(b"not gzip")
    assert cache.get(key, "chat") is None
