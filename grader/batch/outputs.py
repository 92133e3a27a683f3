"""Write a batch's files: one set of documents per transcript as it finishes, then the run's index,
gradebooks and JSON Lines at the end.

Per transcript ``<out>/<name><suffix>`` for each format asked for (``.report.json``, ``.report.html``,
``.report.md``, ``.results.json``), where ``<name>`` is the input's unique output name
(:mod:`grader.batch.inputs`), so sub-folders of the output mirror those of the inputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from grader.batch.executor import BatchResult, FileResult
from grader.batch.task import DOCUMENT_SUFFIXES, render_documents

RUN_FORMATS = ("csv", "jsonl")
"""Formats that cover the whole run: csv (gradebook.csv, gradebook_wide.csv), jsonl (reports.jsonl)."""


def write_file_outputs(result: FileResult, out: Path, formats: list[str] | tuple[str, ...]) -> None:
    """Write the per-transcript documents of one file and record their links in ``result.hrefs``.

    Documents the worker did not render (a cache entry made with other formats) are rendered here.
    """
    wanted = [f for f in DOCUMENT_SUFFIXES if f in formats]
    for item in result.transcripts:
        if item.report_json is None:
            continue
        missing = [f for f in wanted if f not in item.documents]
        if missing:
            item.documents.update(render_documents(item.report(), missing))
        links: dict[str, str] = {}
        for fmt in wanted:
            rel = f"{item.name}{DOCUMENT_SUFFIXES[fmt]}"
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(item.documents[fmt], encoding="utf-8")
            links[fmt] = rel
        result.hrefs[item.name] = links


def drop_documents(result: FileResult) -> None:
    """Free the rendered documents of a file once written (a batch of thousands keeps only reports)."""
    for item in result.transcripts:
        item.documents = {}


def index_entries(batch: BatchResult) -> list[Any]:
    """The entries of ``index.html``: every transcript graded, every file or transcript that failed."""
    from grader.reports import IndexEntry

    entries: list[Any] = []
    for f in batch.files:
        if f.outcome.error is not None:
            entries.append(IndexEntry(f.name, None, None, None, error=f.outcome.error.message))
            continue
        for t in f.transcripts:
            if t.report_json is None:
                message = t.error.message if t.error else "not graded"
                entries.append(IndexEntry(t.name, None, None, None, error=message))
                continue
            links = f.hrefs.get(t.name, {})
            html, js = links.get("html"), links.get("json")
            entries.append(
                IndexEntry(
                    source=t.name,
                    html_href=quote(html) if html else None,
                    json_href=quote(js) if js else None,
                    report=t.report(),
                    error=None,
                )
            )
    return entries


def write_run_outputs(batch: BatchResult, out: Path, formats: list[str] | tuple[str, ...]) -> None:
    """``index.html`` (with html), the CSV gradebooks (csv) and ``reports.jsonl`` (jsonl)."""
    from grader.reports import render_index, write_gradebook_csv, write_wide_csv

    if "html" in formats and batch.files:
        out.mkdir(parents=True, exist_ok=True)
        (out / "index.html").write_text(render_index(index_entries(batch)), encoding="utf-8")
    reports = batch.reports()
    if not reports:
        return
    out.mkdir(parents=True, exist_ok=True)
    if "csv" in formats:
        write_gradebook_csv(reports, out / "gradebook.csv")
        write_wide_csv(reports, out / "gradebook_wide.csv")
    if "jsonl" in formats:
        lines = [json.dumps(r.to_json_dict(), ensure_ascii=False) for r in reports]
        (out / "reports.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
