"""How well the reader splits the real course submissions into turns, on the part developed on and the
part held aside.

Reads every labelled file of ``../shared/corpus/`` (``turns.yaml``) in a child process (so a hang or a crash
costs one file, not the run), writes its ``grader read --json`` output, and scores it with
``../shared/tools/score_turns.py``'s rule. The corpus is split by thread number: even threads are the part
the reader was developed on, odd threads the part held aside. Prints, per split: turn recall, precision and
F1, annotation recall, annotations leaked into chat text, thinking found, files read without error, the
slowest file and seconds per page.

usage: python benchmarks/bench_reading.py [--split dev|heldout|all|dev0|dev2] [--show] [--out DIR] [--timeout S]
       [--questions DIR] [--hide-cues]

``--ablate-layout`` hides the reader's role evidence (each conversation becomes one assistant turn with no
layout cue, before ``--questions`` is applied): it measures what the content evidence alone recovers.

``--hide-cues`` reads every PDF with the reader's experiment switch on
(``grader.transcripts.role_evidence.HIDE_LAYOUT_CUES_ENV``): speaker labels and bubble / indent /
timestamp geometry of the text layer are ignored (screenshots keep their OCR geometry), so each chat
comes out as the issue's "no layout cue" files do, and only content evidence can find the user's
turns. Unlike ``--ablate-layout`` it runs the reader's own later passes on what it read. Export
formats (JSON, Markdown) are read as usual.

``--questions DIR`` reads with the course's question files (``grader read --questions``: a pasted
question is the user's where the layout does not say), e.g. ``--questions ../shared/course``.

``dev0`` and ``dev2`` cut the development split in two (thread number = 0 or 2 mod 4): develop on one,
check on the other, so that a change which helps only the files it was made on shows before the
held-out split is measured.

``--show`` prints the per-file lines and misses of the development split only (the held-out split stays
summarised unless ``--show-heldout`` is given, so that developing against it is a deliberate act).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score_turns", SHARED / "tools" / "score_turns.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_QUESTIONS: Any = None
"""The course's question files (``--questions``), loaded once before the children are forked."""
_ABLATE = False
"""``--ablate-layout``: every conversation read as one assistant turn with no layout cue."""


def _collapse(transcript: Any) -> None:
    """One assistant turn holding every block, each with the reader's "no layout cue" evidence."""
    from grader.models import Turn

    blocks = [b for t in transcript.turns for b in t.blocks]
    for b in blocks:
        if "evidence" in b.meta:
            b.meta = {**b.meta, "evidence": ["no layout cue tells the speakers apart"], "confidence": 0.3}
    meta = {"evidence": ["no layout cue tells the speakers apart"], "confidence": 0.3}
    transcript.turns = [Turn(index=0, role="assistant", blocks=blocks, role_inferred=True, meta=meta)]


def _read_one(path: str, queue: Any) -> None:
    from grader.errors import GraderError
    from grader.transcripts import read_all
    from grader.transcripts.schema import schema_problems, transcript_json

    t0 = time.perf_counter()
    try:
        if _ABLATE:
            from grader.transcripts.question_turns import mark_question_turns

            transcripts = read_all(Path(path))
            for t in transcripts:
                _collapse(t)
                mark_question_turns(t, _QUESTIONS)
        else:
            transcripts = read_all(Path(path), _QUESTIONS)
        data = transcript_json(transcripts[0])
        invalid = [p for t in transcripts for p in schema_problems(transcript_json(t))]
        if invalid:
            queue.put(
                (data, f"not a valid grader.transcript/1 object: {invalid[:3]}", time.perf_counter() - t0)
            )
            return
        if len(transcripts) > 1:  # several conversations: one object with all their turns
            for extra in transcripts[1:]:
                data["turns"] += transcript_json(extra)["turns"]
        error = None
    except GraderError as exc:
        data, error = {"turns": []}, f"{type(exc).__name__}: {exc.message}"
    except Exception as exc:  # a traceback: exactly what this benchmark must report
        data, error = {"turns": []}, f"TRACEBACK {type(exc).__name__}: {exc}"
    queue.put((data, error, time.perf_counter() - t0))


def read_file(path: Path, timeout: float) -> tuple[dict[str, Any], str | None, float]:
    """The transcript JSON of one file, read in a child process bounded by ``timeout`` seconds."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_read_one, args=(str(path), queue))
    t0 = time.perf_counter()
    proc.start()
    try:
        data, error, seconds = queue.get(timeout=timeout)
    except Exception:
        proc.kill()
        data, error, seconds = {"turns": []}, f"over {timeout:.0f} s", time.perf_counter() - t0
    proc.join(5)
    return data, error, seconds


def _pages(path: Path) -> int:
    if path.suffix.lower() != ".pdf":
        return 1
    try:
        import pymupdf

        with pymupdf.open(path) as doc:
            return int(doc.page_count)
    except Exception:
        return 1


def _score(scorer: Any, entries: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, float]:
    tot = dict(gold=0, pred=0, found=0, ann=0, ann_found=0, leaks=0, th=0, th_found=0)
    for gold, read in entries:
        s = scorer.score_file(gold, read)
        for k in tot:
            tot[k] += s[k]
    rec = tot["found"] / tot["gold"] if tot["gold"] else 0.0
    prec = tot["found"] / tot["pred"] if tot["pred"] else 0.0
    f1 = 2 * rec * prec / (rec + prec) if rec + prec else 0.0
    return {
        **tot,
        "recall": rec,
        "precision": prec,
        "f1": f1,
        "ann_recall": tot["ann_found"] / tot["ann"] if tot["ann"] else 1.0,
        "th_recall": tot["th_found"] / tot["th"] if tot["th"] else 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("dev", "heldout", "all", "dev0", "dev2"), default="all")
    ap.add_argument("--show", action="store_true", help="per-file lines for the development split")
    ap.add_argument("--show-heldout", action="store_true", help="per-file lines for the held-out split too")
    ap.add_argument("--only", help="only files whose thread/name contains this text (development)")
    ap.add_argument("--out", help="keep the grader read --json outputs here (default: a temporary folder)")
    ap.add_argument(
        "--timeout", type=float, default=120.0, help="seconds per file before it counts as a hang"
    )
    ap.add_argument(
        "--questions", metavar="DIR", help="the course's question files (grader read --questions)"
    )
    ap.add_argument(
        "--ablate-layout", action="store_true", help="hide the reader's role evidence (one assistant turn)"
    )
    ap.add_argument(
        "--hide-cues",
        action="store_true",
        help="read PDFs with speaker labels and bubble/indent geometry switched off (an experiment)",
    )
    args = ap.parse_args(argv)
    if args.hide_cues:  # read by the children, which are forked after this
        import os

        from grader.transcripts.role_evidence import HIDE_LAYOUT_CUES_ENV

        os.environ[HIDE_LAYOUT_CUES_ENV] = "1"
    global _ABLATE
    _ABLATE = args.ablate_layout
    if args.questions:
        global _QUESTIONS
        from grader.cli import load_questions

        _QUESTIONS = load_questions(args.questions)
    labels = CORPUS / "turns.yaml"
    if not labels.exists():
        print("../shared/corpus/turns.yaml not found: nothing to measure")
        return 0
    import yaml

    scorer = _scorer()
    gold_all = [g for g in yaml.safe_load(labels.read_text(encoding="utf-8"))["transcripts"]]
    splits = {"dev": [g for g in gold_all if int(g["thread"]) % 2 == 0]}
    splits["heldout"] = [g for g in gold_all if int(g["thread"]) % 2 == 1]
    splits["dev0"] = [g for g in gold_all if int(g["thread"]) % 4 == 0]
    splits["dev2"] = [g for g in gold_all if int(g["thread"]) % 4 == 2]
    wanted = ["dev", "heldout"] if args.split == "all" else [args.split]
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench_reading_"))
    for name in wanted:
        golds = splits[name]
        if args.only:
            golds = [g for g in golds if args.only in f"{g['thread']}/{g['file']}"]
        show = args.show_heldout if name == "heldout" else args.show
        entries = []
        errors: list[str] = []
        per_page: list[float] = []
        slowest = (0.0, "")
        for g in golds:
            path = CORPUS / f"thread_{g['thread']}" / g["file"]
            data, error, seconds = read_file(path, args.timeout)
            folder = out / f"thread_{g['thread']}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{g['file']}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            if error:
                errors.append(f"t{g['thread']} {g['file']}: {error}")
            pages = _pages(path)
            per_page.append(seconds / max(pages, 1))
            slowest = max(slowest, (seconds, f"t{g['thread']} {g['file'][:40]}"))
            if g.get("turns") or g.get("annotations"):
                entries.append((g, data))
            if show:
                s = scorer.score_file(g, data)
                print(
                    f"  t{g['thread']} {g['file'][:40]}: turns {s['found']}/{s['gold']} found, {s['pred']} read; "
                    f"annotations {s['ann_found']}/{s['ann']}, leaks {s['leaks']}; "
                    f"thinking {s['th_found']}/{s['th']}; {seconds:.1f} s"
                )
                for m in s["misses"][:6]:
                    print(f"      missed {m}")
        with contextlib.redirect_stdout(io.StringIO()):
            r = _score(scorer, entries)
        label = {
            "dev": "developed on (even threads)",
            "heldout": "held aside (odd threads)",
            "dev0": "development sub-split (threads = 0 mod 4)",
            "dev2": "development sub-split (threads = 2 mod 4)",
        }[name]
        print(f"\n== {label}: {len(golds)} files")
        print(
            f"turns: recall {r['found']}/{r['gold']} = {r['recall']:.1%}, precision {r['precision']:.1%}, "
            f"F1 {r['f1']:.1%}"
        )
        print(
            f"annotations found {r['ann_recall']:.1%} ({r['ann_found']}/{r['ann']}), "
            f"{r['leaks']} leaked into chat text; thinking found {r['th_recall']:.1%} ({r['th_found']}/{r['th']})"
        )
        print(
            f"files read without error (each a valid grader.transcript/1 object): "
            f"{len(golds) - len(errors)}/{len(golds)}"
        )
        for e in errors:
            print(f"  error: {e}")
        if per_page:
            print(
                f"seconds per page: median {statistics.median(per_page):.2f}, max {max(per_page):.2f}; "
                f"slowest file {slowest[0]:.1f} s ({slowest[1]})"
            )
    print(f"\noutputs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
