"""An auto-grader for LLM homework transcripts.

Public entry points: :func:`grader.pipeline.grade` (Transcript + Rubric -> Report),
:func:`grader.pipeline.grade_file`, :func:`grader.check.check_target` and the ``grader`` CLI.
"""

__version__ = "0.1.0"
