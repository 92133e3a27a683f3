"""One exception tree for the whole grader. Every error says what was wrong and where.

::

    GraderError                      root; .where names the file/line/key/target
    ├── InputError                   a file could not be read as a transcript        (HTTP 422)
    │   ├── EmptyInputError          the file is empty or whitespace only            (HTTP 422)
    │   ├── BinaryInputError         the file is not text and no reader takes it    (HTTP 415)
    │   ├── UnknownFormatError       no reader recognises the content               (HTTP 415)
    │   └── InputTooLargeError       over the size cap                              (HTTP 413)
    ├── RubricError                  a rubric file is invalid (file and key)         (HTTP 500)
    ├── HomeworkError                the homework cannot be determined / is unknown  (HTTP 422)
    ├── TargetError                  unknown target id (homework.part.answer)        (HTTP 404)
    ├── MathParseError               a formula could not be parsed (what and where)  (HTTP 422)
    ├── ReferenceError_              a reference solution failed                    (HTTP 500)
    └── BatchFileError               one file of a batch could not be processed      (HTTP 500)
        ├── FileTimeLimitError       the file ran past the per-file time limit       (HTTP 504)
        ├── FileMemoryError          the file needed more than the per-file memory cap (HTTP 507)
        └── WorkerCrashedError       the process grading the file died               (HTTP 500)

    BudgetExceeded (BaseException)   a check ran out of time or size; derives from BaseException
                                     on purpose so that ``except Exception`` cannot swallow it.
"""

from __future__ import annotations


class GraderError(Exception):
    """Root of the grader's errors.

    Attributes:
        message: what went wrong, in one line.
        where: the file, line, key or target concerned (may be empty).
    """

    status_code = 500

    def __init__(self, message: str, where: str = "") -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class InputError(GraderError):
    """A file could not be read as a transcript."""

    status_code = 422


class EmptyInputError(InputError):
    """The file is empty or holds only whitespace."""


class BinaryInputError(InputError):
    """The file is binary and no reader takes it."""

    status_code = 415


class UnknownFormatError(InputError):
    """No reader recognises the content."""

    status_code = 415


class InputTooLargeError(InputError):
    """The input is over the size cap."""

    status_code = 413


class RubricError(GraderError):
    """A rubric file is invalid; ``where`` names the file and key."""


class HomeworkError(GraderError):
    """The homework of a transcript cannot be determined, or is not known."""

    status_code = 422


class TargetError(GraderError):
    """An unknown target id (``homework.part.answer``)."""

    status_code = 404


class MathParseError(GraderError):
    """A formula could not be parsed; ``where`` is the offset or the snippet."""

    status_code = 422


class ReferenceError_(GraderError):  # noqa: N801 - avoid shadowing the builtin ReferenceError
    """A reference solution failed to compute."""


class BatchFileError(GraderError):
    """One file of a batch could not be processed for a reason outside its content (limits, crashes).

    Never raised for the file's content itself: bad input keeps its own class (InputError, HomeworkError).
    """


class FileTimeLimitError(BatchFileError):
    """The file ran past the batch's per-file time limit (``--time-limit``)."""

    status_code = 504


class FileMemoryError(BatchFileError):
    """The file needed more memory than the batch's per-file cap (``--max-memory-mb``)."""

    status_code = 507


class WorkerCrashedError(BatchFileError):
    """The worker process grading the file died (a signal, the system's OOM killer, a crash)."""


class BudgetExceeded(BaseException):  # noqa: N818 - name reads as the event
    """A check ran past its time or size budget.

    Derives from BaseException so that a broad ``except Exception`` in library code
    cannot swallow it: the budget always wins.
    """

    def __init__(self, message: str = "budget exceeded") -> None:
        self.message = message
        super().__init__(message)
