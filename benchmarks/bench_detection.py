"""Homework detection on ../shared/corpus: accuracy among all 14 homeworks (and "none of these").

    .venv/bin/python benchmarks/bench_detection.py [--cache DIR] [--split even|odd|all] [--verbose]

The truth is the homework column of ``../shared/corpus/README.md`` (the homework each thread's content
answers). Every file of a thread counts; files the reader cannot read count as misses. Three modes:

- ``questions``: the course's question PDFs (``../shared/course/hw*.pdf``, as ``--questions``) plus
  the project's rubrics;
- ``scaffolds``: no question PDF; rubrics for all 14 homeworks whose only identifying text is what
  ``grader rubric new`` puts in them (each part's title and phrase of at most 8 words, the question
  titles), written to a temporary folder from each homework's PDF alone: the rubric-phrase path as
  it will be once every homework has a rubric;
- ``rubrics``: the project's rubrics as they are (HW2, HW7, the lecture exercises); a thread of a
  homework without a rubric is right when the answer is "none of these".

Development used the even thread numbers; the odd ones were measured once at the end (see
BENCHMARKS.md). Reading PDFs with OCR takes minutes: ``--cache DIR`` keeps the transcripts read as
JSON for the next run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NEGATIVES = ("seeds/003_3307836bae2e3f2b.txt", "seeds/004_569e23a1cfa6bc73.txt")
"""Lecture slides of other courses: the lecture-exercises rubric's material, of no homework of the course."""
LECTURES = "optim-lectures"
FORCED = "cs182-fa25-hw2"


def truth_table(readme: Path) -> dict[int, str]:
    """Thread number -> homework id, from the corpus README's table."""
    out = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*(\d+)\s*\|\s*HW(\d+)\s*\|", line)
        if m:
            out[int(m.group(1))] = f"cs182-fa25-hw{int(m.group(2))}"
    return out


def read_corpus(corpus: Path, cache: Path | None) -> list[tuple[int, str, list[object] | str]]:
    """(thread, file name, transcripts or the error message) for every file of the corpus."""
    from grader.errors import GraderError
    from grader.models import Transcript
    from grader.transcripts import read_all

    out: list[tuple[int, str, list[object] | str]] = []
    for folder in sorted(corpus.glob("thread_*")):
        thread = int(folder.name.split("_")[1])
        for f in sorted(p for p in folder.iterdir() if p.is_file()):
            cached = cache / f"{folder.name}__{f.name}.json" if cache else None
            if cached and cached.exists():
                data = json.loads(cached.read_text(encoding="utf-8"))
                value: list[object] | str = (
                    data["error"] if isinstance(data, dict) else [Transcript.model_validate(t) for t in data]
                )
                out.append((thread, f.name, value))
                continue
            try:
                ts = read_all(f)
                value = list(ts)
                payload: object = [t.model_dump(mode="json") for t in ts]
            except GraderError as exc:
                value = exc.message
                payload = {"error": exc.message}
            if cached:
                cached.write_text(json.dumps(payload), encoding="utf-8")
            out.append((thread, f.name, value))
    return out


def scaffold_dir(course_dir: Path, target: Path) -> None:
    """Rubric skeletons for every homework, each from its own PDF (what `grader rubric new` writes)."""
    from grader.course.pdf_questions import read_question_pdf
    from grader.course.scaffold import scaffold_rubric

    for pdf in sorted(course_dir.glob("hw*.pdf")):
        hw = f"cs182-fa25-{pdf.stem}"
        (target / f"{hw}.yaml").write_text(scaffold_rubric(read_question_pdf(pdf, hw), hw), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit code 0, or 2 when ../shared is absent."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, help="folder for the transcripts read (JSON), reused by later runs")
    ap.add_argument("--split", choices=("even", "odd", "all"), default="all")
    ap.add_argument("--verbose", action="store_true", help="print every file's detection")
    args = ap.parse_args(argv)
    corpus, course_dir = SHARED / "corpus", SHARED / "course"
    if not corpus.is_dir() or not course_dir.is_dir():
        print(f"no corpus or course at {SHARED}")
        return 2
    try:
        import pymupdf  # noqa: F401
    except ImportError:
        print("PyMuPDF not installed: pip install 'llm-transcript-grader[pdf]'")
        return 2
    from grader.course.detect import Detector
    from grader.course.loader import load_course
    from grader.rubric import rubrics

    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    truth = truth_table(corpus / "README.md")
    start = time.perf_counter()
    files = read_corpus(corpus, args.cache)
    read_s = time.perf_counter() - start
    project = list(rubrics().values())
    course = load_course(course_dir, [r.id for r in project])
    with tempfile.TemporaryDirectory() as tmp:
        scaffold_dir(course_dir, Path(tmp))
        scaffolds = list(rubrics(Path(tmp)).values())
    detectors = {
        "questions": Detector.for_course(project, course),
        "scaffolds": Detector.for_course(scaffolds),
        "rubrics": Detector.for_course(project),
    }
    known = {r.id for r in project}
    splits = {"even": 0, "odd": 1}
    wanted = [args.split] if args.split != "all" else ["even", "odd"]
    print(f"read {len(files)} files in {read_s:.1f}s; homeworks with questions: {len(course)}")
    print(
        "\n| split | mode | right | of files | accuracy | unreadable (misses) | accuracy on files read | ms/file |"
    )
    print("|---|---|---|---|---|---|---|---|")
    forced_rows: list[str] = []
    n_neg: dict[str, int] = {}
    none_right: dict[str, int] = {}
    for split in wanted:
        chosen = [f for f in files if f[0] % 2 == splits[split]]
        for mode, det in detectors.items():
            right = unreadable = 0
            spent = 0.0
            for thread, name, value in chosen:
                want = truth[thread]
                if mode == "rubrics" and want not in known:
                    want = "none"
                if isinstance(value, str):
                    unreadable += 1
                    if args.verbose:
                        print(f"  {split} {mode} {thread} {name}: unreadable ({value[:60]})")
                    continue
                t0 = time.perf_counter()
                text = "\n".join(
                    b.text
                    for t in value
                    for turn in t.turns
                    for b in turn.blocks
                    if b.kind != "residue"  # type: ignore[attr-defined]
                )
                found = det.detect_text(text)
                spent += time.perf_counter() - t0
                got = found.homework or "none"
                right += got == want
                if args.verbose or (got != want and split == "even"):
                    top = ", ".join(f"{h.split('-')[-1]}={s:g}" for h, s in found.ranked()[:3])
                    print(
                        f"  {split} {mode} {thread} {name[:40]}: want {want}, got {got} [{top}] {found.reason[:90]}"
                    )
            if split == "even":
                # Text of no homework of the course (lecture slides of other courses): "none of these".
                for neg in NEGATIVES:
                    path = SHARED / neg
                    if not path.exists():
                        continue
                    found = det.detect_text(path.read_text(encoding="utf-8", errors="replace"))
                    # The lecture exercises have a rubric of their own (optim-lectures).
                    want_neg = LECTURES if LECTURES in det.profiles else None
                    n_neg[mode] = n_neg.get(mode, 0) + 1
                    none_right[mode] = none_right.get(mode, 0) + (found.homework == want_neg)
                    if found.homework != want_neg or args.verbose:
                        top = ", ".join(f"{h.split('-')[-1]}={s:g}" for h, s in found.ranked()[:3])
                        print(f"  other {mode} {neg}: want {want_neg}, got {found.homework} [{top}]")
            if mode != "scaffolds":
                # --homework cs182-fa25-hw2 forced on files of other homeworks: each should be warned.
                others = [v for th, _, v in chosen if truth[th] != FORCED and not isinstance(v, str)]
                warned = sum(1 for v in others for t in v if det.fit_warning(t, FORCED))  # type: ignore[attr-defined]
                total = sum(len(v) for v in others)  # type: ignore[arg-type]
                forced_rows.append(f"| {split} | {mode} | {warned}/{total} |")
            n = len(chosen)
            read = n - unreadable
            print(
                f"| {split} | {mode} | {right} | {n} | {right / n:.1%} | {unreadable} | "
                f"{right}/{read} = {right / max(read, 1):.1%} | {1000 * spent / max(read, 1):.1f} |"
            )
    print(f"\n--homework {FORCED} forced on the files of other homeworks: files warned")
    print("\n| split | mode | warned |\n|---|---|---|")
    print("\n".join(forced_rows))
    for mode in detectors:
        if n_neg.get(mode):
            print(
                f"lecture slides ({mode}): {none_right[mode]}/{n_neg[mode]} right (optim-lectures where it is a rubric, else none)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
