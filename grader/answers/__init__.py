"""Answer kinds: one module per kind, each implementing its rubric fields, extraction, check and
outcome behind one interface (:class:`~grader.answers.base.AnswerKind`), found by name in
:mod:`grader.answers.registry`.

=================  ======================================================================
``expression``     a formula in the problem's typed symbols (:mod:`.expression`)
``vector``         a concrete vector (:mod:`.vector`)
``number``         one number, at the written precision or within a tolerance (:mod:`.number`)
``quantity``       a number with a unit: time, percent, ratio (:mod:`.quantity`)
``count_formula``  a formula in integer parameters, a table cell (:mod:`.count_formula`)
``condition``      an equation equivalent to a gradient being zero (:mod:`.condition`)
``choice``         one option; ``choices``: a set of options (:mod:`.choice`)
``tokens``         a token sequence (:mod:`.tokens`)
``name``           a method or object name from the rubric's vocabulary (:mod:`.name`)
``fact``           a fact of a reading in words, with its source sentence (:mod:`.fact`)
``yes_no``         a yes/no conclusion (:mod:`.yes_no`)
``concept``        free text with a key: ideas and misconceptions by meaning (:mod:`.concept`)
``free_text``      open text: needs review, facts and length checked (:mod:`.free_text`)
``proof``          steps evaluated at an instance, a target to reach (:mod:`.proof`)
=================  ======================================================================
"""

from grader.answers.base import Accepted, AnswerKind, Context, combine
from grader.answers.registry import get, kind_of, names, register

__all__ = ["Accepted", "AnswerKind", "Context", "combine", "get", "kind_of", "names", "register"]
