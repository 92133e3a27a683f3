"""Grade the real PDFs of ../shared/real with the PDF reader and print agreement figures.

    .venv/bin/python benchmarks/bench_real_pdfs.py

- thread245 (PDF of seed 001): per-part ``final`` verdicts vs grading the seed text (target >= 5/6);
- thread849, thread339: agreement with ../shared/gold/real_dev.yaml (target >= 80% of verdicts);
- thread904 (screenshots + typed notes): annotations found, what could not be read, and any
  ``incorrect`` verdict resting on lossy/ocr math (there should be none once the pipeline turns
  lossy math into needs_review).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def _lossy_parts(report: object, transcript: object) -> list[str]:
    """Parts whose final verdict is ``incorrect`` while an attempt turn carries lossy/ocr blocks."""
    out = []
    turns = {t.index: t for t in transcript.turns}  # type: ignore[attr-defined]
    for part in report.parts:  # type: ignore[attr-defined]
        if part.final != "incorrect":
            continue
        for att in part.attempts:
            blocks = turns[att.turn].blocks if att.turn in turns else []
            if any(b.fidelity != "exact" and b.kind in ("text", "math", "table") for b in blocks):
                out.append(part.id)
                break
    return out


def main() -> int:
    """Run the benchmark; returns a process exit code (0, or 2 when the data is absent)."""
    try:
        import pymupdf  # noqa: F401
    except ImportError:
        print("PyMuPDF not installed: pip install 'llm-transcript-grader[pdf]'")
        return 2
    from grader.evaluation import Agreement, compare, load_gold
    from grader.pipeline import choose_rubric, grade, grade_file
    from grader.transcripts.pdf import read_pdf

    real = SHARED / "real"
    if not real.is_dir():
        print(f"no real PDFs at {real}")
        return 2
    gold = {g["file"]: g for g in load_gold(SHARED / "gold" / "real_dev.yaml")}

    def read(name: str, homework: str | None = None):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        transcript = read_pdf((real / name).read_bytes(), name)
        report = grade(transcript, choose_rubric(transcript, homework))
        lossy = sum(1 for t in transcript.turns for b in t.blocks if b.fidelity != "exact")
        print(
            f"\n## {name}: format {transcript.format}, {len(transcript.turns)} turns, {lossy} lossy/ocr blocks, "
            f"{time.perf_counter() - start:.1f}s"
        )
        for w in transcript.warnings:
            print(f"  warning: {w}")
        return transcript, report

    t245, r245 = read("thread245_claude_hw2.pdf")
    seed = next((SHARED / "seeds").glob("001_*.txt"))
    seed_report = grade_file(seed)
    equal = 0
    for part in seed_report.parts:
        got = r245.part(part.id)
        same = got is not None and got.final == part.final
        equal += same
        print(
            f"  {part.id}: pdf {got.final if got else 'missing'} / seed {part.final} {'=' if same else '≠'}"
        )
    print(f"thread245 final verdicts equal to seed 001: {equal}/{len(seed_report.parts)} (target >= 5)")
    agg245 = compare(r245, gold["thread245_claude_hw2.pdf"], Agreement())
    print(f"thread245 vs real_dev gold: {agg245.summary()}")

    total = Agreement()
    for name in ("thread849_gpt51_hw2.pdf", "thread339_deepseek_hw2_q2.pdf"):
        _, report = read(name)
        agg = compare(report, gold[name], Agreement())
        compare(report, gold[name], total)
        print(f"{name}: {agg.summary()}")
        for d in agg.disagreements:
            print(f"  - {d}")
    print(f"thread849 + thread339 verdict agreement: {total.verdict_rate:.1%} (target >= 80%)")

    t904, r904 = read("thread904_mistral_hw7.pdf", "cs182-fa25-hw7")
    notes = t904.annotations()
    print(f"thread904: {len(notes)} annotations found")
    for turn, block in notes[:40]:
        print(f"  [turn {turn} p{block.meta.get('page')} {block.meta.get('form')}] {block.text[:110]}")
    ocr = sum(1 for t in t904.turns for b in t.blocks if b.fidelity == "ocr")
    print(f"thread904: {ocr} OCR blocks; parts: " + ", ".join(f"{p.id}={p.final}" for p in r904.parts))
    bad = _lossy_parts(r904, t904)
    print(f"thread904: incorrect verdicts resting on lossy/ocr text: {bad or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
