"""The library API of grader.batch: every name in ``__all__`` exists and is documented; one upload graded
through the shared cache as a web worker would."""

from __future__ import annotations

from pathlib import Path

import grader.batch as batch
from tests.batch.conftest import SAMPLES


def test_all_names_exist_and_have_docstrings() -> None:
    for name in batch.__all__:
        obj = getattr(batch, name)
        if callable(obj):
            assert obj.__doc__, name
    public = {
        n for n in dir(batch) if not n.startswith("_") and not isinstance(getattr(batch, n), type(batch))
    }
    assert public - {"annotations"} <= set(batch.__all__)


def test_one_upload_through_the_shared_cache(tmp_path: Path) -> None:
    data = (SAMPLES / "claude_hw7_roles.md").read_bytes()
    cache = batch.ResultCache(tmp_path / "cache")
    key = batch.cache_key(data, "upload.md", batch.rubrics_version())
    assert cache.get(key, name="upload") is None
    outcome = batch.run_task(batch.GradeTask("upload", "upload.md", data, formats=("html",)))
    assert cache.put(key, outcome)
    again = cache.get(key, name="upload")
    assert again is not None
    [first], [second] = outcome.transcripts, again.transcripts
    assert second.report().model_dump() == first.report().model_dump()
    assert second.documents["html"] == first.documents["html"]
    assert second.report().homework == "cs182-fa25-hw7"
