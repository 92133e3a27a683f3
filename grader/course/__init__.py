"""The whole course: question text read at run time, homework detection, reports without a rubric.

The course's question PDFs are copyrighted: the TA points the grader at them (``grade --questions``)
and they are read into memory, never copied into the project. Modules, in the order data flows::

    loader.py        a PDF, a folder of PDFs or a course.yaml ─▶ Course
    pdf_lines.py     a PDF's styled lines (PyMuPDF), page furniture removed
    pdf_questions.py lines ─▶ QuestionSet: questions and parts with the PDF's numbering (q3b_i)
    model.py         Course, QuestionSet, Question, QuestionPart; part ids
    text.py          words and word 3-grams, shared by all the matching below
    profiles.py      what identifies a homework: question text, rubric titles and phrases
    detect.py        which homework a transcript answers, or none; forced-homework warnings
    part_match.py    which parts a message quotes (used by grader.align)
    numbering.py     parts a transcript names itself ("Problem 3(b)", "(ii)")
    answers.py       final answers of an attempt and contradictions among them
    synthetic.py     stand-in rubrics for alignment and the step checker when there is no rubric
    rubricless.py    the report of a homework without a rubric (every part needs_review)
    phrases.py       a few identifying words of a part
    scaffold.py      ``grader rubric new``: a rubric skeleton from a question PDF
"""

from __future__ import annotations

from grader.course.detect import Detection, Detector, detector
from grader.course.loader import load_course
from grader.course.model import Course, Question, QuestionPart, QuestionSet, part_id
from grader.course.pdf_questions import read_question_pdf

__all__ = [
    "Course",
    "Detection",
    "Detector",
    "Question",
    "QuestionPart",
    "QuestionSet",
    "detector",
    "load_course",
    "part_id",
    "read_question_pdf",
]
