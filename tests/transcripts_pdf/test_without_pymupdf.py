"""Without PyMuPDF the grader still imports and says how to enable PDF support."""

from __future__ import annotations

import sys

import pytest

from grader.errors import InputError
from grader.transcripts.pdf import NEEDS_PYMUPDF, read_pdf


def test_missing_pymupdf_is_a_clear_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pymupdf", None)  # makes `import pymupdf` raise ImportError
    with pytest.raises(InputError) as info:
        read_pdf(b"%PDF-1.7\n", "a.pdf")
    assert info.value.message == "PDF support needs PyMuPDF: pip install 'llm-transcript-grader[pdf]'"
    assert info.value.message == NEEDS_PYMUPDF and info.value.where == "a.pdf"
