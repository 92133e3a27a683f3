"""`grader grade --dask`: the same reports on a Dask LocalCluster, per-file failures reported."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from grader.batch import BatchOptions, grade_files
from grader.cli import main
from tests.batch.conftest import outputs

pytest.importorskip("distributed", reason='needs dask[distributed] (pip install -e ".[dask]")')


@pytest.mark.slow
def test_dask_local_cluster_writes_the_same_reports_as_one_job(inputs: Path, tmp_path: Path, capsys) -> None:
    (inputs / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    argv = ["grade", str(inputs), "--format", "json,html,csv", "--no-cache"]
    assert main([*argv, "--out", str(tmp_path / "one"), "--jobs", "1"]) == 1
    capsys.readouterr()
    started = time.monotonic()
    assert main([*argv, "--out", str(tmp_path / "dask"), "--jobs", "2", "--dask"]) == 1
    log = capsys.readouterr()
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "one")
    assert "dask LocalCluster (2 workers)" in log.out
    # the two bad files are reported, each on its line, and the batch went on
    errors = [ln for ln in log.err.splitlines() if ln.startswith("error: ")]
    assert (
        len(errors) == 2
        and any("binary.txt" in ln for ln in errors)
        and any("empty.txt" in ln for ln in errors)
    )
    assert time.monotonic() - started < 120


@pytest.mark.slow
def test_dask_reports_limits_per_file_and_worker_memory(inputs: Path) -> None:
    result = grade_files(
        [inputs / "claude_hw7_roles.md", inputs / "chatgpt_hw2_writeup.txt"],
        BatchOptions(jobs=1, dask=True, time_limit_s=0.001),
    )
    assert [f.kind for _, f in result.failures] == ["FileTimeLimitError", "FileTimeLimitError"]
    assert any(k.startswith("dask worker ") for k in result.worker_peak_rss_mb)


def test_an_unreachable_scheduler_is_a_usage_error(
    inputs: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grader.batch import dask_runner

    monkeypatch.setattr(dask_runner, "CONNECT_TIMEOUT_S", 2)
    code = main(
        ["grade", str(inputs), "--out", str(tmp_path / "o"), "--dask", "tcp://127.0.0.1:9", "--no-cache"]
    )
    assert code == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
