"""How a TA's report page lays out: width and height in a 1,400 px Chromium window.

    .venv/bin/python benchmarks/bench_report_layout.py [--homework ID] [PATH ...]

Grades each file (default: ../shared/real/*.pdf and ../shared/seeds/*.txt), renders the HTML report
as `grader grade` writes it, opens it in headless Chromium at 1,400 px and prints, per report, the
page's scroll width (over 1,400 means the page overflows sideways) and height with the folded turns
closed, then the median height and how many reports overflow. Needs Chromium and chromedriver.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.pipeline import choose_rubric, grade  # noqa: E402
from grader.reports import render_html  # noqa: E402
from grader.transcripts import read_all  # noqa: E402
from web.browser import browser_missing, headless_chromium, page_widths  # noqa: E402

SHARED = ROOT.parent / "shared"
WIDTH = 1400


def default_inputs() -> list[Path]:
    """The real PDFs and the seed write-ups of ../shared."""
    return sorted((SHARED / "real").glob("*.pdf")) + sorted((SHARED / "seeds").glob("*.txt"))


def main(argv: list[str] | None = None) -> int:
    """Render, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--homework", help="grade every file against this homework")
    args = parser.parse_args(argv)
    why = browser_missing()
    if why:
        print(f"cannot measure: {why}", file=sys.stderr)
        return 2
    inputs = args.paths or default_inputs()
    if not inputs:
        print("no input: ../shared is absent and no PATH was given", file=sys.stderr)
        return 2
    driver = headless_chromium(WIDTH, 900)
    heights: list[int] = []
    overflowing = 0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for path in inputs:
                for i, transcript in enumerate(read_all(path)):
                    report = grade(transcript, choose_rubric(transcript, args.homework))
                    page = Path(tmp) / f"{i}-{path.stem}.html"
                    page.write_text(render_html(report), encoding="utf-8")
                    driver.get(page.as_uri())
                    width, inner = page_widths(driver)
                    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
                    heights.append(height)
                    overflowing += width > inner
                    print(f"{transcript.source[:60]:<60} width {width:>5}  height {height:>6}")
    finally:
        driver.quit()
    print(f"\n{len(heights)} reports: median height {statistics.median(heights):.0f} px, "
          f"{overflowing} wider than {WIDTH} px")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
