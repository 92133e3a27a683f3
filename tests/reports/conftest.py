"""Fixtures of the report tests (the sample report is built in ``sample.py``)."""

from __future__ import annotations

import pytest

from grader.models import Report
from tests.reports.sample import build_sample_report


@pytest.fixture
def sample_report() -> Report:
    """A fresh copy of the sample report (tests may mutate it)."""
    return build_sample_report()
