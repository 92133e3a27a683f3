"""Multiple-choice answers: which options a text selects or rejects, and their check.

PDF conversion usually destroys tick marks: a model's "☑ Weight Decay" arrives as "☐ Weight
Decay", exactly like the unticked options of the question. So the glyph alone cannot say what was
chosen; the lead-in above a list can. The rules, applied line by line in order:

* an explicit tick (☑ ✓ ✔ ✅ [x] ■ ●) selects, an explicit cross (☒ ✗ ✘ ❌) rejects;
* "not X", "no X", "without X", or an item saying "not needed/required/necessary" rejects X;
* otherwise an item (bullet, numbered line, glyph, or the text after "Answer:") takes the mode of
  the last lead-in line: "... needed/required/answer/select/correct ...:" selects, and
  "not needed / not required / unnecessary / incorrect ...:" rejects; a lead-in without those
  words (e.g. "Conclusion:") or a heading resets the mode, and items with no mode and a bare
  ☐ are ignored (they are the question's own option list);
* a short text with no structure at all ("Weight Decay, SGD optimizer", "nn.MSELoss") selects
  what it names.

When an option is both selected and rejected, the last statement wins. Options match fuzzily:
case, punctuation, module prefixes and a leading article are ignored ("the MSELoss" = "nn.MSELoss"),
letters of any script count ("ridge λ"), and a whole-word prefix is enough ("SGD" = "SGD optimizer").
An option that holds a comma, slash or "and" (``[h, d, q]``, ``O(bd^2+bnd/h)``) is kept whole where the
text writes it out.
"""

from __future__ import annotations

import re

from grader.checkers.text_utils import MAX_TEXT_CHARS, strip_markdown
from grader.verdicts import CheckResult

__all__ = ["check_choice", "match_option", "parse_selection"]

_TICK = "☑✓✔✅■●◉"
_CROSS = "☒✗✘❌"
_BOX = "☐□○◯❏"
_GLYPHS = _TICK + _CROSS + _BOX
_GLYPH_SPLIT = re.compile(rf"(?=[{_GLYPHS}])|(?=\[[ xX✓]\])")
_MARKER = re.compile(r"^\s*(?:[-*+•▪◦]|\(?\d{1,2}[.)]|\(?[a-hA-H][.)])\s+")
_NEG_LEAD = re.compile(
    r"\b(?:not\s+(?:needed|required|necessary|used|selected|correct|chosen|included)|unnecessary|"
    r"incorrect|wrong|excluded?|reject(?:ed)?|don'?t\s+need|do\s+not\s+need|avoid)\b",
    re.I,
)
_POS_LEAD = re.compile(
    r"\b(?:need(?:ed|s)?|requir(?:ed|es?)|answers?|select(?:ed|ion)?|correct|choices?|cho(?:ose|sen)|"
    r"pick(?:ed)?|options?\s+(?:is|are)|necessary|include[sd]?)\b",
    re.I,
)
_NEG_ITEM = re.compile(r"^\s*(?:not|no|without|exclude|except)\b\s*", re.I)
_NEG_BODY = re.compile(r"\b(?:not|isn'?t|aren'?t)\s+(?:needed|required|necessary|used|appropriate)\b", re.I)
_ANSWER_PREFIX = re.compile(
    r"^\s*(?:final\s+)?(?:answer|selection|selected|choice|choices|options?)\s*[:=]\s*", re.I
)


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ARTICLES = frozenset({"the", "a", "an"})


def _norm_words(s: str) -> list[str]:
    """The words of an option or a fragment: lower case, any script (``ridge λ``), module prefixes
    and a leading article dropped (``the nn.MSELoss`` -> ``mseloss``), superscripts as digits."""
    s = re.sub(r"\b(?:torch\.)?(?:nn|optim|F)\.", "", s)  # "nn.MSELoss" -> "MSELoss"
    words = re.findall(r"[^\W_]+", s.translate(_SUPERSCRIPTS).lower())
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return words


def match_option(fragment: str, options: list[str]) -> str | None:
    """The option ``fragment`` names, or None; fuzzy on case, module prefix and word prefix.

    >>> match_option("MSELoss", ["nn.L1Loss", "nn.MSELoss"]), match_option("SGD", ["SGD optimizer"])
    ('nn.MSELoss', 'SGD optimizer')
    """
    words = _norm_words(fragment)
    if not words:
        return None
    joined = "".join(words)
    best: str | None = None
    for opt in options:
        ow = _norm_words(opt)
        if not ow:
            continue
        if words == ow or joined == "".join(ow):
            return opt
        short, long_ = (words, ow) if len(words) < len(ow) else (ow, words)
        # whole-word prefix ("SGD" ~ "SGD optimizer"), never for bare numbers ("1" vs "1 layer")
        if long_[: len(short)] == short and not all(w.isdigit() for w in short) and best is None:
            if len(long_) - len(short) <= 2:
                best = opt
    return best


def _items(line: str, options: list[str] | None = None) -> list[str]:
    """Split a line holding several items ("☑ A ☒ B", "- ☐ A - ☐ B", "A, B and C").

    An option that itself holds a separator (``[h, d, q]``, ``O(bd^2 + bnd/h)``, ``read and write``) is
    kept whole where the line writes it out.
    """
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\x02{len(kept) - 1}\x03"

    line = _caret_superscripts(line)
    for opt in sorted(options or [], key=len, reverse=True):
        if re.search(r"[,;/]|\band\b|\s-\s", opt):
            line = _option_pattern(opt).sub(keep, line)
    parts = [p for p in _GLYPH_SPLIT.split(line) if p.strip()]
    out: list[str] = []
    for p in parts:
        out.extend(q for q in re.split(r"\s+-\s+|;|,|\band\b|/", p) if q.strip())
    return [re.sub(r"\x02(\d+)\x03", lambda m: kept[int(m.group(1))], q) for q in out]


def _option_pattern(option: str) -> re.Pattern[str]:
    """An option as written in a line: case-insensitive, any spacing around its punctuation."""
    out = []
    for ch in _caret_superscripts(option.strip()):
        if ch.isspace():
            out.append(r"\s*")
        elif ch.isalnum():
            out.append(re.escape(ch))
        else:
            out.append(r"\s*" + re.escape(ch) + r"\s*")
    return re.compile("".join(out), re.I)


def _caret_superscripts(text: str) -> str:
    """``bd²`` -> ``bd^2`` (so that an option matches however its exponent is written)."""
    return re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: "^" + m.group(0).translate(_SUPERSCRIPTS), text)


def _item_state(item: str, mode: str | None) -> tuple[str, str | None]:
    """(label text, state) of one item; state 'selected' | 'rejected' | None."""
    s = _MARKER.sub("", item).strip()
    state: str | None = None
    m = re.match(rf"^\s*(?:([{_GLYPHS}])|\[([ xX✓])\])\s*", s)
    if m:
        glyph = m.group(1) or ("☑" if (m.group(2) or " ").strip() else "☐")
        s = s[m.end() :]
        if glyph in _TICK:
            state = "selected"
        elif glyph in _CROSS:
            state = "rejected"
    neg = _NEG_ITEM.match(s)
    if neg:
        s = s[neg.end() :]
        state = "rejected"
    label = s.partition(":")[0]
    if state is None and _NEG_BODY.search(s):
        state = "rejected"
    if state is None:
        state = mode
    return label.strip(" .*`\"'()"), state


def parse_selection(text: str, options: list[str]) -> tuple[set[str], set[str]]:
    """(selected, rejected) options named in ``text``, by the rules in the module docstring.

    >>> sorted(parse_selection("☑ Weight Decay ☒ Dropout", ["Weight Decay", "Dropout"])[1])
    ['Dropout']
    >>> parse_selection("Answer: ☐ 2", ["0", "1", "2", "3"])
    ({'2'}, set())
    """
    states: dict[str, str] = {}
    if not isinstance(text, str) or not options:
        return set(), set()

    def note(label: str, state: str | None) -> bool:
        opt = match_option(label, options)
        words = label.split()
        for n in range(min(4, len(words) - 1), 0, -1):  # "Dropout is not needed" names Dropout
            if opt is not None:
                break
            opt = match_option(" ".join(words[:n]), options)
        if opt is not None and state is not None:
            states.pop(opt, None)  # re-insert so that the last statement wins
            states[opt] = state
        return opt is not None

    lines = [ln for ln in _strip_keep_bullets(text[:MAX_TEXT_CHARS]).splitlines() if ln.strip()]
    mode: str | None = None
    structured = False
    for line in lines:
        if line.lstrip().startswith("#"):
            mode = None
            continue
        ans = _ANSWER_PREFIX.match(line)
        if ans:
            structured = True
            rest = line[ans.end() :]
            for item in _items(rest, options):
                note(*_item_state(item, "selected"))
            continue
        if _MARKER.match(line) or re.match(rf"^\s*(?:[{_GLYPHS}]|\[[ xX✓]\])", line):
            structured = True
            for item in (
                _items(_MARKER.sub("", line, count=1), options) if _GLYPH_SPLIT.search(line) else [line]
            ):
                label, state = _item_state(item, mode)
                if not note(label, state) and len(label.split()) <= 4:
                    for sub in _items(label, options):  # "- Weight decay and SGD"
                        note(*_item_state(sub, state))
            continue
        head, colon, rest = line.partition(":")
        if colon:
            structured = True
            mode = "rejected" if _NEG_LEAD.search(head) else "selected" if _POS_LEAD.search(head) else None
            if not note(*_item_state(head, None)) and rest.strip():
                for item in _items(rest, options):
                    note(*_item_state(item, mode))
            continue
        for item in _items(line, options) if _GLYPH_SPLIT.search(line) else []:
            structured = True
            note(*_item_state(item, mode))
    if not structured and not states:
        plain = " ".join(lines)
        if len(plain.split()) <= 24:  # a bare answer: "Weight Decay, SGD optimizer", "not Dropout"
            for item in _items(plain, options):
                note(*_item_state(item, "selected"))
            if "selected" not in states.values():  # "The answer is 2 linear layers, not 1"
                for opt, state in _mentions(plain, options):
                    if opt not in states:
                        note(opt, state)
    selected = {o for o, st in states.items() if st == "selected"}
    rejected = {o for o, st in states.items() if st == "rejected"}
    return selected, rejected


def _mentions(plain: str, options: list[str]) -> list[tuple[str, str]]:
    """Options mentioned anywhere in a short answer, in order; "not X" rejects X."""
    text = " ".join(_norm_words(plain))
    found: list[tuple[int, str, str]] = []
    for opt in options:
        words = _norm_words(opt)
        if not words:
            continue
        for m in re.finditer(r"(?<!\w)" + re.escape(" ".join(words)) + r"(?!\w)", text):
            negated = re.search(r"\b(?:not|no|without)\s+$", text[max(0, m.start() - 12) : m.start()])
            found.append((m.start(), opt, "rejected" if negated else "selected"))
    return [(opt, state) for _, opt, state in sorted(found)]


def _strip_keep_bullets(text: str) -> str:
    """Markdown stripped of bold/code/links, bullets and numbering kept (they delimit items)."""
    kept = re.sub(r"^(\s*)([-*+•]|\d{1,2}[.)])(\s+)", r"\1\2\3" + "\x01", text, flags=re.M)
    out = strip_markdown(kept)
    return re.sub(r"\x01", "", re.sub("^(\\s*)\x01", r"\1- ", out, flags=re.M))


def check_choice(claim: str, options: list[str], correct: list[str], *, multi: bool) -> CheckResult:
    """Check a single- or multiple-choice claim.

    Single choice: the selected option must be the correct one. Multi: the selected set must equal
    the correct set; a wrong option selected is incorrect, and so is a correct option explicitly
    rejected ("not Dropout", ☒ Dropout); a strict subset with nothing rejected is partial.
    ``options`` may be empty, in which case the correct options are the only ones known.

    >>> check_choice("Weight decay, Dropout, SGD optimizer", ["Weight Decay", "Dropout",
    ...     "SGD optimizer"], ["Weight Decay", "SGD optimizer"], multi=True).verdict
    'incorrect'
    """
    opts = list(options) or list(correct)
    want = {match_option(c, opts) or c for c in correct}
    display = "; ".join(sorted(want))
    selected, rejected = parse_selection(claim, opts)
    evidence: dict[str, object] = {
        "selected": sorted(selected),
        "rejected": sorted(rejected),
        "correct": sorted(want),
        "options": opts,
    }
    interpreted = ", ".join(sorted(selected)) if selected else None
    if not selected:
        if rejected & want:
            return CheckResult(
                verdict="incorrect",
                interpreted="rejects " + ", ".join(sorted(rejected)),
                reference=display,
                explanation=f"the claim rejects {', '.join(sorted(rejected & want))}, which is correct",
                evidence=evidence,
            )
        return CheckResult(
            verdict="unparseable",
            reference=display,
            explanation="no selected option found in the claim (options: " + ", ".join(opts) + ")",
            evidence=evidence,
        )
    wrong = selected - want
    missing = want - selected
    if rejected & want:  # a correct option explicitly rejected is positive evidence, as a wrong one chosen
        why = "rejects " + ", ".join(sorted(rejected & want)) + ", which is correct"
        return CheckResult("incorrect", interpreted, display, why, evidence)
    if not wrong and not missing:
        why = "selects exactly the correct option" + ("s" if multi and len(want) > 1 else "")
        return CheckResult("correct", interpreted, display, why, evidence)
    if not multi:
        if len(selected) > 1:
            why = f"selects {len(selected)} options ({interpreted}) where one is expected"
        else:
            why = f"selects {interpreted}, the correct option is {display}"
        return CheckResult("incorrect", interpreted, display, why, evidence)
    if wrong:
        why = "selects " + ", ".join(sorted(wrong)) + ", which " + ("is" if len(wrong) == 1 else "are")
        why += " not correct"
        if missing:
            why += "; misses " + ", ".join(sorted(missing))
        return CheckResult("incorrect", interpreted, display, why, evidence)
    why = "selects only part of the correct set; misses " + ", ".join(sorted(missing))
    return CheckResult("partial", interpreted, display, why, evidence)
