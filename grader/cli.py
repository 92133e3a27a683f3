"""The ``grader`` command line: thin wrappers that parse options and call the library.

Exit status: 0 when everything asked for was done, 1 when some input could not be graded (each file's
error is printed on its own line), 2 on usage errors (unknown option, unknown target or homework).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from grader.batch.executor import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIME_LIMIT_S
from grader.cli_check import cmd_check, cmd_equiv
from grader.errors import GraderError

FORMATS = ("json", "html", "md", "csv", "jsonl", "gradescope")
"""Per transcript: json, html, md, gradescope (<stem>.results.json); per run: csv (gradebook.csv and
gradebook_wide.csv), jsonl (reports.jsonl, one report per line)."""


def _usage(message: str) -> int:
    print(f"grader: error: {message}", file=sys.stderr)
    return 2


# --------------------------------------------------------------------------- grade


def cmd_grade(args: argparse.Namespace) -> int:
    """Grade transcripts and write reports (a batch: worker processes or Dask, cached results)."""
    from grader.batch import BatchOptions, default_cache_dir, grade_files
    from grader.batch.inputs import expand_paths
    from grader.batch.outputs import write_run_outputs
    from grader.batch.progress import BatchProgress
    from grader.batch.task import DOCUMENT_FORMATS

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        return _usage(f"unknown format {', '.join(bad)}; choose from {', '.join(FORMATS)}")
    try:
        questions = load_questions(args.questions)
    except GraderError as exc:
        return _usage(str(exc))
    if args.homework and (questions is None or questions.get(args.homework) is None):
        from grader.rubric import get_rubric

        try:
            get_rubric(args.homework)
        except GraderError as exc:
            return _usage(str(exc))
    paths = list(args.paths)
    if args.dask is not None and not _looks_like_address(args.dask):
        paths.insert(0, args.dask)  # ``--dask folder/``: the optional ADDRESS took a path
        args.dask = _LOCAL_CLUSTER
    if not paths:
        return _usage("no input files given")
    if args.jobs is not None and args.jobs < 1:
        return _usage("--jobs must be at least 1")
    out = Path(args.out)
    options = BatchOptions(
        homework=args.homework,
        formats=tuple(f for f in formats if f in DOCUMENT_FORMATS),
        jobs=args.jobs,
        dask=args.dask is not None,
        dask_address=None if args.dask in (None, _LOCAL_CLUSTER) else args.dask,
        cache_dir=Path(args.cache_dir) if args.cache_dir else default_cache_dir(out),
        use_cache=not args.no_cache,
        max_memory_mb=args.max_memory_mb or None,
        time_limit_s=args.time_limit or None,
        questions=questions,
    )
    progress = BatchProgress(total=len(expand_paths(paths)))
    try:
        result = grade_files(paths, options, _WriteAsDone(progress, out, formats))
    except GraderError as exc:
        return _usage(str(exc))
    finally:
        progress.close()
    if not result.files:
        return _usage("no input files found")
    write_run_outputs(result, out, formats)
    reports = result.reports()
    _print_summary(reports)
    failed = len(result.failures)
    print(
        f"\n{len(result.files)} file(s): {len(reports)} report(s), {failed} failed, "
        f"{result.cached} from the cache ({options.cache_dir if options.cache_dir else 'no cache'}); "
        f"{result.seconds:.1f} s, {result.backend}"
    )
    if reports:
        print(f"wrote {len(reports)} report(s) to {out}/")
    return 1 if failed else 0


_LOCAL_CLUSTER = "local"


class _WriteAsDone:
    """Progress of ``grader grade``: writes each file's documents as soon as it is done, then frees them."""

    def __init__(self, progress: Any, out: Path, formats: list[str]) -> None:
        self.progress, self.out, self.formats = progress, out, formats

    def started(self, name: str) -> None:
        self.progress.started(name)

    def finished(self, result: Any) -> None:
        from grader.batch.outputs import drop_documents, write_file_outputs

        write_file_outputs(result, self.out, self.formats)
        drop_documents(result)
        self.progress.finished(result)


def _looks_like_address(value: str) -> bool:
    """``tcp://host:port``, ``host:port`` or ``local`` (a LocalCluster); anything else is a path."""
    return value == _LOCAL_CLUSTER or "://" in value or re.fullmatch(r"[\w.-]+:\d+", value) is not None


def _print_summary(reports: list[Any]) -> None:
    for r in reports:
        print(
            f"\n{r.source}  [{r.format}, {r.model or 'unknown model'}, {r.homework}]  score {r.score:g}/{r.max_score:g}"
        )
        print(f"  {'part':<9}{'first':<14}{'final':<14}{'hinted':<8}{'points':<10}flags")
        for p in r.parts:
            if p.first == p.final == "unanswered":
                continue
            print(
                f"  {p.id:<9}{p.first:<14}{p.final:<14}{'yes' if p.hinted else 'no':<8}"
                f"{f'{p.score:g}/{p.max_score:g}':<10}{', '.join(p.flags)}"
            )
        skipped = [p.id for p in r.parts if p.first == p.final == "unanswered"]
        if skipped:
            print(f"  not attempted: {', '.join(skipped)}")


# --------------------------------------------------------------------------- read


def cmd_read(args: argparse.Namespace) -> int:
    """Print what the grader read: turns, roles, blocks and warnings (``--json``: grader.transcript/1)."""
    from grader.batch.inputs import expand_paths
    from grader.transcripts import read_all
    from grader.transcripts.schema import TRANSCRIPT_SCHEMA, summary_lines, transcript_json

    files = [path for path, _ in expand_paths(args.paths)]
    if not files:
        return _usage("no input files found")
    try:
        questions = load_questions(args.questions)
    except GraderError as exc:
        return _usage(str(exc))
    failures = 0
    for path in files:
        try:
            if not path.exists():
                raise GraderError("no such file", str(path))
            transcripts = read_all(path, questions)
        except GraderError as exc:
            failures += 1
            print(
                f"error: {exc.where if exc.where and path.name in exc.where else path}: {exc.message}",
                file=sys.stderr,
            )
            if args.json:
                error = {"schema": TRANSCRIPT_SCHEMA, "source": path.name, "error": exc.message, "turns": []}
                print(json.dumps(error, ensure_ascii=False), flush=True)
            continue
        for transcript in transcripts:
            if args.json:
                print(json.dumps(transcript_json(transcript), ensure_ascii=False), flush=True)
            else:
                print("\n".join(summary_lines(transcript)), flush=True)
    return 1 if failures else 0


def load_questions(path: str | None) -> Any:
    """The course's question files named by ``--questions`` (None when not given)."""
    if not path:
        return None
    from grader.course.loader import load_course
    from grader.rubric import rubrics

    return load_course(Path(path), rubrics().keys())


# --------------------------------------------------------------------------- rubric


def cmd_rubric_new(args: argparse.Namespace) -> int:
    """Write a rubric skeleton with a question PDF's parts and numbering."""
    from grader.course.pdf_questions import read_question_pdf
    from grader.course.scaffold import scaffold_rubric

    pdf = Path(args.questions)
    homework = args.id or pdf.stem
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", homework):
        return _usage(f"homework id {homework!r}: lowercase letters, digits and dashes (e.g. cs182-fa25-hw3)")
    try:
        qs = read_question_pdf(pdf, homework)
    except GraderError as exc:
        return _usage(str(exc))
    text = scaffold_rubric(qs, homework)
    if args.out:
        out = Path(args.out)
        if out.exists() and not args.force:
            return _usage(f"{out} exists; pass --force to overwrite it")
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}: {len(qs.parts())} parts in {len(qs.questions)} questions; fill in the TODOs")
    else:
        sys.stdout.write(text)
    for warning in qs.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def cmd_reproduce(args: argparse.Namespace) -> int:
    """Run the numeric reproduction of a target and print it beside the closed form."""
    from grader.reproductions import reproduce

    try:
        result = reproduce(args.target, device=args.device, instances=args.instances, seed=args.seed)
    except GraderError as exc:
        return _usage(str(exc))
    if args.json:
        print(json.dumps(result, default=str))
        return 0
    print(f"{result['target']}: reproduced on {result['device']} over {result['instances']} instance(s)")
    print(f"  result:        {result['result']}")
    print(f"  closed form:   {result['reference']}")
    print(f"  max rel error: {result['max_rel_error']:.3g}")
    print(f"  seconds:       {result['seconds']:.3f}")
    if result.get("note"):
        print(f"  note:          {result['note']}")
    return 0


def cmd_rubric_check(args: argparse.Namespace) -> int:
    """Validate rubric files, audit their references and run their examples."""
    from grader.rubric.verify import verify_rubric_file

    files = list(_expand_rubrics(args.files))
    if not files:
        return _usage("rubric check needs at least one rubric file (or folder)")
    failed = 0
    for path in files:
        result = verify_rubric_file(path)
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            for problem in result.problems:
                print(f"  {problem}", file=sys.stderr)
            for note in result.notes():
                print(f"  {note}", file=sys.stderr)
            print(result.summary())
        failed += not result.ok
    return 1 if failed else 0


def _expand_rubrics(paths: Sequence[str]) -> Iterator[Path]:
    for raw in paths:
        p = Path(raw)
        yield from sorted(p.glob("*.yaml")) if p.is_dir() else [p]


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the web app (FastAPI) on a local address."""
    from web.server import serve

    serve(host=args.host, port=args.port)
    return 0


def cmd_course_add(args: argparse.Namespace) -> int:
    """Create a course of the web app (its homeworks default to every rubric)."""
    from web.admin import add_course

    try:
        course = add_course(args.id, args.title or "", args.homework or None, args.allow_reference)
    except GraderError as exc:
        return _usage(str(exc))
    print(f"created course {course.id} ({course.title}) with homeworks {', '.join(course.homeworks)}")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    """Create a web app account with a role in a course; the password is read from standard input."""
    from web.admin import add_user, read_password

    try:
        user = add_user(args.email, read_password(), args.role, args.course)
    except GraderError as exc:
        return _usage(str(exc))
    print(f"{user.email} is {args.role} of {args.course}")
    return 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``grader`` command."""
    parser = argparse.ArgumentParser(
        prog="grader",
        description="Grade LLM homework transcripts against executable reference solutions.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    g = sub.add_parser("grade", help="grade transcript files or folders and write reports")
    g.add_argument("paths", nargs="*", metavar="PATH", help="transcript files or folders")
    g.add_argument("--homework", help="homework id (default: detected from the transcript)")
    g.add_argument("--out", default="reports", help="output folder (default: reports)")
    g.add_argument(
        "--format",
        default="json,html",
        help="comma-separated: json, html, md, gradescope (per transcript); csv, jsonl (per run). Default json,html",
    )
    g.add_argument(
        "--questions",
        metavar="DIR",
        help="the course's question PDFs (a folder, one PDF, or a course.yaml listing them): used to find "
        "the homework and its parts, and to report on homeworks that have no rubric",
    )
    g.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="cores to use: worker processes, one per file at most, spare cores to OCR (default: the machine's "
        "cores; 1 grades in this process with one OCR process)",
    )
    g.add_argument(
        "--dask",
        nargs="?",
        const=_LOCAL_CLUSTER,
        metavar="ADDRESS",
        help="run on Dask distributed: a scheduler's tcp://host:port, or none for a LocalCluster of --jobs workers",
    )
    g.add_argument(
        "--no-cache", action="store_true", help="grade every file again (results are still stored)"
    )
    g.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="result cache folder (default: $GRADER_CACHE_DIR/results, else OUT/.grader-cache)",
    )
    g.add_argument(
        "--max-memory-mb",
        type=float,
        default=DEFAULT_MAX_MEMORY_MB,
        metavar="MB",
        help=f"per-file memory cap in worker processes (default {DEFAULT_MAX_MEMORY_MB:g}; 0: none; not with --jobs 1)",
    )
    g.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT_S,
        metavar="S",
        help=f"per-file time limit in seconds, reading and grading (default {DEFAULT_TIME_LIMIT_S:g}; 0: none)",
    )
    g.set_defaults(func=cmd_grade)

    rd = sub.add_parser("read", help="show the transcript as read: turns, roles, blocks, warnings")
    rd.add_argument("paths", nargs="+", metavar="PATH", help="transcript files or folders")
    rd.add_argument(
        "--json",
        action="store_true",
        help="print one grader.transcript/1 object per conversation read (one per line)",
    )
    rd.add_argument(
        "--questions",
        metavar="DIR",
        help="the course's question PDFs (as for grade): where the layout does not say who wrote a "
        "paragraph, a pasted copy of a question is read as the user's",
    )
    rd.set_defaults(func=cmd_read)
    c = sub.add_parser("check", help="check one answer against a target, e.g. cs182-fa25-hw2.q1a.u")
    c.add_argument("target", nargs="?", help="<homework>.<part>.<answer>")
    c.add_argument("answer", nargs="?", help="the answer, LaTeX or plain text")
    c.add_argument("--json", action="store_true", help="print the verdict as JSON")
    c.add_argument("--list", action="store_true", help="list the known targets")
    c.add_argument(
        "--batch", metavar="FILE.jsonl", help="check every line {id, target, claim}; prints JSON lines"
    )
    c.set_defaults(func=cmd_check)

    e = sub.add_parser("equiv", help="is ANSWER equivalent to REFERENCE?")
    e.add_argument("reference", nargs="?")
    e.add_argument("answer", nargs="?")
    e.add_argument("--symbols", help="typed symbols, e.g. alpha:positive,g:vector,W:matrix[k;m]")
    e.add_argument("--json", action="store_true", help="print the verdict as JSON")
    e.add_argument(
        "--batch", metavar="FILE.jsonl", help="check every line {id, reference, answer}; prints JSON lines"
    )
    e.set_defaults(func=cmd_equiv)

    r = sub.add_parser(
        "reproduce", help="run the numeric reproduction of a target (optimizer runs, simulations)"
    )
    r.add_argument("target", help="<homework>.<part>.<answer>, e.g. cs182-fa25-hw2.q2b.theta")
    r.add_argument(
        "--device", default="auto", choices=("auto", "cpu", "cuda"), help="auto uses CUDA when present"
    )
    r.add_argument("--instances", type=int, default=1000, help="random problem instances (default 1000)")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--json", action="store_true", help="print the result as JSON")
    r.set_defaults(func=cmd_reproduce)

    rb = sub.add_parser("rubric", help="rubric files: check them, or scaffold one from a question PDF")
    rb_sub = rb.add_subparsers(dest="rubric_command", required=True)
    rc = rb_sub.add_parser(
        "check", help="validate rubric files, evaluate their references and run their examples"
    )
    rc.add_argument("files", nargs="+", metavar="FILE", help="rubric YAML files or folders of them")
    rc.add_argument("--json", action="store_true", help="one JSON object per file")
    rc.set_defaults(func=cmd_rubric_check)
    rn = rb_sub.add_parser("new", help="a rubric skeleton with a question PDF's parts and numbering")
    rn.add_argument("--questions", required=True, metavar="HW.pdf", help="the homework's question PDF")
    rn.add_argument("--id", help="the homework id (default: the PDF's file stem), e.g. cs182-fa25-hw3")
    rn.add_argument("--out", metavar="FILE.yaml", help="write here instead of standard output")
    rn.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    rn.set_defaults(func=cmd_rubric_new)

    v = sub.add_parser("serve", help="run the web app for TAs and students")
    v.add_argument(
        "--host",
        default=None,
        help="address to bind (default GRADER_HOST, else 127.0.0.1: this machine only)",
    )
    v.add_argument("--port", type=int, default=None, help="port (default GRADER_PORT, else 8000)")
    v.set_defaults(func=cmd_serve)

    co = sub.add_parser("course", help="manage the web app's courses")
    co_sub = co.add_subparsers(dest="course_command", required=True)
    ca = co_sub.add_parser("add", help="create a course")
    ca.add_argument("id", metavar="ID", help="course id, e.g. cs182-fa25")
    ca.add_argument("--title", help="display name (default: the id)")
    ca.add_argument(
        "--homework",
        action="append",
        metavar="ID",
        help="a homework of the course (repeat; default: every rubric)",
    )
    ca.add_argument(
        "--allow-reference", action="store_true", help="students see reference answers in the self-check"
    )
    ca.set_defaults(func=cmd_course_add)

    us = sub.add_parser("user", help="manage the web app's accounts")
    us_sub = us.add_subparsers(dest="user_command", required=True)
    ua = us_sub.add_parser("add", help="create an account (password read from standard input)")
    ua.add_argument("email", metavar="EMAIL")
    ua.add_argument("--role", required=True, choices=("instructor", "ta", "student"))
    ua.add_argument("--course", required=True, metavar="ID", help="the course the role is in")
    ua.set_defaults(func=cmd_user_add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``grader`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `grader check --batch ... | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
