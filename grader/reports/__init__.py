"""Report renderers: what TAs read.

- :func:`report_json`: the ``grader.report/1`` JSON;
- :func:`render_html`: one self-contained annotated HTML page per transcript;
- :func:`render_markdown`: the same content in Markdown;
- :func:`render_index`: the run's ``index.html`` listing reports and failures;
- :func:`gradebook_rows`, :func:`write_gradebook_csv`, :func:`write_wide_csv`: the gradebook;
- :func:`gradescope_results`: a Gradescope autograder ``results.json`` per report.
"""

from grader.reports.gradebook import gradebook_rows, write_gradebook_csv, write_wide_csv
from grader.reports.gradescope import gradescope_results
from grader.reports.html_report import render_html, report_css
from grader.reports.index import IndexEntry, render_index
from grader.reports.json_report import report_json
from grader.reports.markdown_report import render_markdown

__all__ = [
    "IndexEntry",
    "gradebook_rows",
    "gradescope_results",
    "render_html",
    "render_index",
    "render_markdown",
    "report_css",
    "report_json",
    "write_gradebook_csv",
    "write_wide_csv",
]
