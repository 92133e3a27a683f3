"""Final answers from free-form model output (boxed, "the answer is", last math, last number).

The pipeline of :func:`extract_answers`::

    text ─▶ unescape (double-escaped JSON dumps, literal "\\n")
         ─▶ boxed      last group of \\boxed{} / \\fbox{} (several boxes joined by "and", "," → a list)
         ─▶ final      "final answer is X", "Final Answer: X"
         ─▶ answer     "the answer is X", "Answer: X"
         ─▶ last-math  last $...$ / \\(...\\) / \\[...\\] / $$...$$ (neighbours joined by "and", ",")
         ─▶ last-number the last number of the plain text
         ─▶ whole      the whole (short) text, cleaned

Every candidate is cleaned (:func:`clean_answer`): ``\\text{ and }``, trailing periods, ``\\,``,
thousands separators, unit words and percent markers are removed; a percent marker is recorded in
``Candidate.percent``. Nothing here evaluates anything: the texts go to the math engine afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Source = Literal["boxed", "final-answer", "answer-line", "last-math", "last-number", "whole"]

MAX_INPUT_CHARS = 200_000
"""Longer inputs are cut (the final answer is at the end, so the head is dropped)."""

_WHOLE_MAX_CHARS = 200
"""The whole text is a candidate only when it is this short (a bare answer such as ``1,000.99``)."""


@dataclass(frozen=True)
class Candidate:
    """One possible final answer found in a free-form text.

    Attributes:
        items: the cleaned answer texts; several when the answer is a list (``\\boxed{1}`` and
            ``\\boxed{-2}`` give ``("1", "-2")``).
        source: where it came from: boxed, final-answer, answer-line, last-math, last-number, whole.
        start: offset of the match in the (unescaped) text, for evidence.
        percent: a percent marker (``%``, ``\\%``, "percent", "pct") followed or ended the answer.
    """

    items: tuple[str, ...]
    source: Source
    start: int = 0
    percent: bool = False

    @property
    def text(self) -> str:
        """The items joined with ", " (display form)."""
        return ", ".join(self.items)


# ---------------------------------------------------------------- unescaping

_KNOWN_CMDS = r"(?:boxed|frac|dfrac|tfrac|left|right|le|ge|leq|geq|sqrt|text|cdot|pi|in|cup|infty|times)"
_DOUBLE_CMD = re.compile(r"\\\\" + _KNOWN_CMDS + r"(?![a-zA-Z])")
_SINGLE_CMD = re.compile(r"(?<!\\)\\" + _KNOWN_CMDS + r"(?![a-zA-Z])")


def unescape(text: str) -> str:
    r"""Undo the escaping of texts dumped twice through JSON or Python strings.

    ``\\frac`` becomes ``\frac`` when the text has no singly escaped command; a literal ``\n``
    not starting a command (``\nabla``, ``\neq``) becomes a newline; a form feed (``\f`` read by a
    non-raw Python string) becomes ``\f`` again.

    Example: ``unescape(r"\\boxed{4}\n")`` → ``"\\boxed{4}" + "\n"``.
    """
    # control characters produced by "\frac", "\text", "\beta"... in non-raw Python strings
    text = text.replace("\x0c", "\\f").replace("\x08", "\\b").replace("\x07", "\\a").replace("\x0b", "\\v")
    text = re.sub(r"\t(?=ext|imes|heta|frac|an\b|au\b)", r"\\t", text)
    text = re.sub(r"\r(?=ight|ho\b)", r"\\r", text)
    if _DOUBLE_CMD.search(text) and not _SINGLE_CMD.search(text):
        text = text.replace("\\\\", "\\")
    return re.sub(r"\\n(?![a-z])", "\n", text)


# ---------------------------------------------------------------- cleaning

_UNIT_WORDS = (
    "meters|meter|metres|metre|centimeters|centimeter|cm|mm|km|kilometers|kilometer|m|miles|mile|"
    "feet|foot|ft|inches|inch|in|yards|yard|units|unit|square units|sq units|degrees|degree|deg|"
    "seconds|second|sec|s|minutes|minute|min|hours|hour|hrs|hr|h|days|day|weeks|week|years|year|"
    "dollars|dollar|cents|cent|yuan|euros|euro|kg|g|grams|gram|pounds|pound|lbs|lb|liters|liter|"
    "l|ml|mph|km/h|people|students|ways|points|times|pages|papers|bins|apples|minutes"
)
_TEXT_CMD = re.compile(
    r"\\(?:text|textbf|textit|textnormal|mbox|mathrm|operatorname|mathbf|mathit)\s*\{([^{}]*)\}"
)
_PERCENT = re.compile(r"\s*(?:\\?%|\\percent\b|\bpercentage\b|\bpercent\b|\bpct\b)\s*$", re.IGNORECASE)
_THOUSANDS = re.compile(r"-?[1-9]\d{0,2}(?:(?:,\d{3})+|(?: \d{3})+)(?:\.\d+)?")
_TRAILING = re.compile(r"(?:[\s.,;:!]|(?<!\\)\\[,;:! ]|\\q?quad|\$|\\?\"|(?<![\^*])\*\*)+$")
_LEADING = re.compile(r"^(?:[\s,;:]|\\[,;:! ]|\\q?quad|\$|\\?\"|\*\*|\\approx\b|\\simeq\b|≈|=(?!=))+")
_UNIT_WORDS_BARE = "|".join(w for w in _UNIT_WORDS.split("|") if len(w) > 2 and w not in ("min", "sec"))
_UNITS_TAIL = re.compile(
    r"(?:\s*\\?(?:text|textbf|textnormal|mbox|mathrm)\s*\{\s*(?:" + _UNIT_WORDS + r")(?:\^?\{?[23]\}?)?\s*\}"
    r"|\s+(?:" + _UNIT_WORDS_BARE + r")\b|(?<=\d)\s*(?:" + _UNIT_WORDS + r")\b)(?:\^?\{?[23]\}?|²|³)?\s*$",
    re.IGNORECASE,
)
_LEFT_RIGHT = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)(?![a-zA-Z])\s*")


def _strip_text_wrappers(text: str) -> str:
    """``\\text{odd}`` → ``odd``; ``\\text{ and }`` → ``, ``."""
    text = re.sub(r"\\(?:text|mbox|textnormal)\s*\{\s*(?:and|or|,)\s*\}", ", ", text)
    for _ in range(4):
        new = _TEXT_CMD.sub(lambda m: m.group(1), text)
        if new == text:
            break
        text = new
    return text


def clean_answer(text: str) -> tuple[str, bool]:
    r"""Clean one extracted answer; return it with whether a percent marker was found.

    Removes ``\text{}`` wrappers, ``\left``/``\right``, ``\,`` and ``\!`` spacing, thousands
    separators (``7,425,000``, ``1 000``, ``11,\!111``), trailing periods and unit words.

    Example: ``clean_answer(r"28\%")`` → ``("28", True)``;
    ``clean_answer(r"125\textnormal{ miles}.")`` → ``("125", False)``.
    """
    text = text.strip()
    text = _UNITS_TAIL.sub("", text) if not _looks_like_text_answer(text) else text
    text = _strip_text_wrappers(text)
    text = _LEFT_RIGHT.sub("", text)
    text = re.sub(r"\\(?:displaystyle|mathrm\s*(?=\{?e))", "", text)
    text = re.sub(r"\^\s*\{?\\circ\}?|°", "", text)
    text = text.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\cfrac", "\\frac")
    text = text.replace("\\$", "").replace("€", "").replace("£", "")
    text = _LEADING.sub("", text)
    text = _TRAILING.sub("", text)
    percent = False
    m = _PERCENT.search(text)
    if m and m.start() > 0:
        percent = True
        text = text[: m.start()]
    text = _TRAILING.sub("", text)
    text = _UNITS_TAIL.sub("", text)
    text = re.sub(r"(?<=\d)\s*(?:\{\s*,\s*\}|,\s*\\!|\\!\s*,)\s*(?=\d{3})", "", text)
    text = re.sub(r"\\q?quad|(?<!\\)\\[,;:! ]|~", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    if _THOUSANDS.fullmatch(text):
        text = re.sub(r"[ ,]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text, percent


def _looks_like_text_answer(text: str) -> bool:
    """A whole answer written as words (``\\text{Evelyn}``, "The midpoints form a regular hexagon")."""
    return bool(re.fullmatch(r"\s*\\text\{[A-Za-z ]+\}\s*", text))


# ---------------------------------------------------------------- boxes

_BOX = re.compile(r"\\(?:boxed|fbox)\s*(?=\{)|\\boxed\s+(?=[^\s{])")
_CONNECTOR = re.compile(r"\b(?:and|or)\b|[,;]")


def find_boxes(text: str) -> list[tuple[int, int, str]]:
    r"""All ``\boxed{...}`` / ``\fbox{...}`` as ``(start, end, content)``; an unclosed box runs to the end.

    Example: ``find_boxes(r"a \boxed{\frac{1}{2}} b")`` → ``[(2, 20, r"\frac{1}{2}")]``.
    """
    out: list[tuple[int, int, str]] = []
    pos = 0
    while True:
        m = _BOX.search(text, pos)
        if not m:
            return out
        i = m.end()
        if i < len(text) and text[i] == "{":
            depth, j = 0, i
            while j < len(text):
                if text[j] == "\\":
                    j += 2
                    continue
                if text[j] == "{":
                    depth += 1
                elif text[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            content = text[i + 1 : j]
            end = min(j + 1, len(text))
        else:  # \boxed 5
            tok = re.match(r"\S+", text[i:])
            content = tok.group(0) if tok else ""
            end = i + len(content)
        out.append((m.start(), end, content))
        pos = end


def _joinable(between: str) -> bool:
    """Whether two boxes separated by ``between`` belong to one answer list."""
    plain = _strip_text_wrappers(between)
    plain = re.sub(r"\\[a-zA-Z]+|\\.|[$(){}\[\]]", " ", plain)
    words = re.findall(r"[A-Za-z]+", plain)
    if not words:
        return True
    return bool(_CONNECTOR.search(plain)) and len(words) <= 8


def _boxed_candidate(text: str) -> Candidate | None:
    boxes = find_boxes(text)
    if not boxes:
        return None
    group = [boxes[-1]]
    for prev in reversed(boxes[:-1]):
        if not _joinable(text[prev[1] : group[0][0]]):
            break
        group.insert(0, prev)
    tail = text[group[-1][1] : group[-1][1] + 30]
    items, percent = _clean_items([g[2] for g in group])
    percent = percent or bool(re.match(r"\s*\$?\s*(?:\\?%|percent|pct)", tail, re.IGNORECASE))
    return Candidate(items, "boxed", group[0][0], percent) if items else None


def _clean_items(raw: list[str]) -> tuple[tuple[str, ...], bool]:
    items: list[str] = []
    percent = False
    for r in raw:
        cleaned, pct = clean_answer(r)
        percent = percent or pct
        if cleaned:
            items.append(cleaned)
    return tuple(items), percent


# ---------------------------------------------------------------- math environments

_MATH = re.compile(
    r"(?<!\\)\$\$(?P<dd>.+?)(?<!\\)\$\$"
    r"|(?<!\\)\\\[(?P<br>.+?)\\\]"
    r"|(?<!\\)\\\((?P<pa>.+?)\\\)"
    r"|(?<![\\$])\$(?!\$)(?P<d>(?:\\\$|[^$])+?)(?<!\\)\$",
    re.DOTALL,
)


def find_math(text: str) -> list[tuple[int, int, str]]:
    r"""All math environments ``$..$``, ``$$..$$``, ``\(..\)``, ``\[..\]`` as ``(start, end, content)``.

    Example: ``find_math("x is $1$ or $$2$$")`` → ``[(5, 8, "1"), (12, 17, "2")]``.
    """
    return [(m.start(), m.end(), m.group(m.lastgroup or "d")) for m in _MATH.finditer(text)]


def _last_math_candidate(text: str) -> Candidate | None:
    envs = [e for e in find_math(text) if e[2].strip()]
    if not envs:
        return None
    group = [envs[-1]]
    for prev in reversed(envs[:-1]):
        between = text[prev[1] : group[0][0]]
        if not re.fullmatch(r"\s*(?:,|;|,?\s*and|,?\s*or)?\s*", between):
            break
        group.insert(0, prev)
    tail = text[group[-1][1] : group[-1][1] + 30]
    items, percent = _clean_items([g[2] for g in group])
    percent = percent or bool(re.match(r"\s*(?:\\?%|percent|pct)", tail, re.IGNORECASE))
    return Candidate(items, "last-math", group[0][0], percent) if items else None


# ---------------------------------------------------------------- answer lines

_FINAL = re.compile(
    r"final answer(?:\s+is|\s*:)\s*:?\s*(?P<a>.+?)(?:\.?\s*I hope|\n|$)", re.IGNORECASE | re.DOTALL
)
_ANSWER = re.compile(
    r"(?:\banswer(?:\s+is|\s*:)|\bthe answer should be|\bsolutions? (?:is|are)\s*:?)\s*:?\s*"
    r"(?P<a>.+?)(?=\n\s*\n|\n(?!\s*[\\$])|$)",
    re.IGNORECASE | re.DOTALL,
)
_PLAIN_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?![\d.,])|\d+)(?:[.,]\d+)?|\.\d+"
_PLAIN_EXPR = re.compile(
    r"(?<![A-Za-z\d.,_^])(?P<e>-?(?:" + _PLAIN_NUM + r")(?:\s*[-+*/×÷^]\s*-?(?:" + _PLAIN_NUM + r"))*)"
    r"(?![\d])(?P<pct>\s*(?:%|percent|pct))?",
    re.IGNORECASE,
)


def _split_math(fragment: str) -> list[str] | None:
    """The math environments of a fragment, or None when it has none."""
    envs = find_math(fragment)
    return [e[2] for e in envs] if envs else None


def _first_sentence(text: str) -> str:
    """Cut at the first sentence end outside math ("$14$. I hope it is correct." → "$14$.")."""
    outside = _MATH.sub(lambda m: "\x00" * (m.end() - m.start()), text)
    end = re.search(r"(?<!\d)\.(?:\s|$)|\.\s+(?=[A-Z<])|<\|", outside)
    return text[: end.start() + 1] if end else text


def _answer_fragment(fragment: str) -> list[str]:
    """The answer texts in what follows "answer is": "The largest $n$ is 34." gives ["34"]."""
    fragment = _first_sentence(fragment.strip())
    # "The volume of $ABCD$ is 120": keep what follows the last verb outside math
    outside = _MATH.sub(lambda m: "\x00" * (m.end() - m.start()), fragment)
    verbs = list(re.finditer(r"\b(?:is|are|equals|be)\b\s*:?", outside))
    if verbs:
        fragment = fragment[verbs[-1].end() :].strip()
    maths = _split_math(fragment)
    if maths is not None:
        return maths
    if re.search(r"[\\^_{}=<>]", fragment) or len(re.findall(r"[A-Za-z]{2,}", fragment)) <= 1:
        return [re.split(r"(?<=\D)\.\s|\.$|\.\s*$", fragment)[0]]
    numbers = list(_PLAIN_EXPR.finditer(fragment))  # prose: its last number
    return [numbers[-1].group(0)] if numbers else [fragment]


def _bold_span(text: str, m: re.Match[str]) -> str:
    """The answer of a label in Markdown bold: ``**Answer: 2** linear layers`` gives ``2``, while
    ``**Answer:** 2`` (the bold closes on the label) keeps what follows."""
    fragment = m.group("a")
    if not re.search(r"\*\*\s*$", text[: m.start()]):
        return fragment
    if re.match(r"\s*\*\*", fragment):
        return re.sub(r"^\s*\*\*", "", fragment)
    close = fragment.find("**")
    return fragment[:close] if close > 0 else fragment


def _answer_line_candidate(text: str, pattern: re.Pattern[str], source: Source) -> Candidate | None:
    for m in reversed(list(pattern.finditer(text))):
        items, percent = _clean_items(_answer_fragment(_bold_span(text, m)))
        if items:
            return Candidate(items, source, m.start(), percent)
    return None


# ---------------------------------------------------------------- plain numbers


def normalize_plain_number(text: str) -> str:
    """A number as written in prose, in engine form: thousands separators dropped, decimal comma → point.

    Example: ``normalize_plain_number("1,000.99")`` → ``"1000.99"``; ``"2,74"`` → ``"2.74"``;
    ``"0,111"`` → ``"0.111"``; ``"7,425,000"`` → ``"7425000"``.
    """
    t = text.strip()
    if re.fullmatch(r"-?(?:0|\d{4,}|\d+(?=,\d{1,2}$|,\d{4,}$)),\d+", t):
        return t.replace(",", ".")
    if _THOUSANDS.fullmatch(t):
        return re.sub(r"[ ,]", "", t)
    return t


def _mask_math(text: str) -> str:
    """The text with math environments and boxes blanked out (same length)."""
    spans = [(a, b) for a, b, _ in find_math(text)] + [(a, b) for a, b, _ in find_boxes(text)]
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _parenthetical_spans(text: str) -> list[tuple[int, int]]:
    """``(...)`` asides of prose that follow a word and a space: "is $\\frac12$ (one of 2 ...)"."""
    spans = []
    for m in re.finditer(r"(?<=\s)\(([^()]{3,200})\)", text):
        if re.search(r"[A-Za-z]{3,}", m.group(1)):
            spans.append((m.start(), m.end()))
    return spans


def _last_number_candidate(text: str) -> Candidate | None:
    # numbers glued to letters on the left (AZYUK2A) are not answers; units on the right are fine;
    # a number in a parenthetical aside after some math is not the answer either
    has_math = bool(find_math(text))
    text = _mask_math(text)
    asides = _parenthetical_spans(text) if has_math else []
    masked = list(text)
    for a, b in asides:
        masked[a:b] = " " * (b - a)
    text = "".join(masked)
    for m in reversed(list(_PLAIN_EXPR.finditer(text))):
        after = text[m.end("e") :]
        if after[:1].isalpha() and not re.match(r"[a-zA-Z]{1,2}(?:²|³|\b)", after):
            continue
        expr = m.group("e")
        cleaned = normalize_plain_number(expr)
        cleaned, _ = clean_answer(cleaned)
        if cleaned:
            return Candidate((cleaned,), "last-number", m.start(), bool(m.group("pct")))
    return None


# ---------------------------------------------------------------- entry point


def extract_answers(text: str) -> list[Candidate]:
    r"""Final-answer candidates of a free-form text, best first, each saying where it came from.

    A "final answer is X" written after the last box wins over the box; between the last math
    environment and the last plain number, the later one comes first.

    Example::

        >>> [c.source for c in extract_answers(r"so $x=2$, hence \boxed{2}.")]
        ['boxed', 'last-math', 'last-number']
        >>> extract_answers(r"\boxed{1} and \boxed{-2}")[0].items
        ('1', '-2')
    """
    if not isinstance(text, str):
        return []
    text = unescape(text[-MAX_INPUT_CHARS:])
    boxed = _boxed_candidate(text)
    final = _answer_line_candidate(text, _FINAL, "final-answer")
    anchored = [boxed, final]
    if boxed and final and final.start > boxed.start:
        anchored = [final, boxed]
    math, number = _last_math_candidate(text), _last_number_candidate(text)
    loose = [number, math] if number and math and number.start > math.start else [math, number]
    whole = _whole_candidate(text)
    if whole is not None and math is None and "\\" in text:  # bare LaTeX such as \frac{10}{9}
        loose = [whole, *loose]

    found: list[Candidate] = []
    for cand in [*anchored, _answer_line_candidate(text, _ANSWER, "answer-line"), *loose]:
        if cand is not None and all(c.items != cand.items for c in found):
            found.append(cand)
    if whole is not None and all(c.items != whole.items for c in found):
        found.append(whole)
    return found


def _whole_candidate(text: str) -> Candidate | None:
    if len(text) > _WHOLE_MAX_CHARS:
        return None
    items, percent = _clean_items([text])
    return Candidate(items, "whole", 0, percent) if items else None
