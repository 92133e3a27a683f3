"""Token sequences ("<sos>, I, see, a, dog") as written in transcripts, and their check.

Transcripts write the same sequence many ways: a comma list, a space-separated line, LaTeX
(``$\\langle \\text{sos} \\rangle, \\text{I}$``), a numbered list of ``w_i = token`` lines with
comments in parentheses. :func:`parse_tokens` reduces all of them to a list of strings; special
tokens are canonicalised (``<SOS>``, ``⟨sos⟩``, ``[SOS]``, ``<bos>``, ``<start>`` all become
``<sos>``; ``<EOS>``, ``</s>``, ``<end>`` become ``<eos>``). Words stay case-sensitive.
"""

from __future__ import annotations

import re

from grader.checkers.text_utils import MAX_TEXT_CHARS, plain_text
from grader.verdicts import CheckResult

__all__ = ["canonical_token", "check_tokens", "parse_tokens"]

_SPECIAL = re.compile(r"^(?:<|⟨|〈|\[|&lt;)\s*(/?\s*[A-Za-z]+)\s*(?:>|⟩|〉|\]|&gt;)$")
_SPECIAL_ALIASES = {
    "sos": "sos",
    "bos": "sos",
    "start": "sos",
    "s": "sos",
    "go": "sos",
    "eos": "eos",
    "end": "eos",
    "/s": "eos",
    "stop": "eos",
    "pad": "pad",
    "unk": "unk",
}
# "1. $w_1 = ...$ (Start of Sequence)" / "- w_2: I" / "2) I"
_NUMBERED = re.compile(r"^\s*(?:[-*•]\s*)?\(?\d{1,3}[.)]\s+(.*\S)\s*$")
_W_ASSIGN = re.compile(r"^\s*(?:[A-Za-z]_?\{?\d+\}?|[A-Za-z]_?[ti])\s*(?:=|:|→|->)\s*(.+)$")
_PAREN_TAIL = re.compile(r"\s*(?:\([^()]*\)|—.*|–.*|\s-\s.*)\s*$")
_EDGE_PUNCT = "\"'“”‘’`.;:!?*"


def canonical_token(token: str) -> str:
    """One token in canonical form: specials lower-cased and aliased, words unchanged.

    >>> canonical_token("⟨SOS⟩"), canonical_token("</s>"), canonical_token("Dog")
    ('<sos>', '<eos>', 'Dog')
    """
    t = token.strip().strip(_EDGE_PUNCT).strip()
    m = _SPECIAL.match(t)
    if m:
        name = re.sub(r"\s+", "", m.group(1)).lower()
        return f"<{_SPECIAL_ALIASES.get(name, name)}>"
    return t


def _normalise(text: str) -> str:
    """Plain text with angle-bracket glyphs made ASCII, so "⟨ sos ⟩" reads as one token."""
    s = plain_text(text)
    s = s.replace("⟨", "<").replace("⟩", ">").replace("〈", "<").replace("〉", ">")
    s = s.replace("&lt;", "<").replace("&gt;", ">")
    return re.sub(r"<\s*(/?\s*[A-Za-z]+)\s*>", lambda m: "<" + re.sub(r"\s+", "", m.group(1)) + ">", s)


def _split_inline(s: str) -> list[str]:
    s = s.strip()
    if len(s) > 1 and s[0] in "[(" and s[-1] in "])" and "," in s:  # "[<sos>, I, see]"
        s = s[1:-1]
    s = re.sub(r"\s*(?:→|->|⇒|=>)\s*", ",", s)  # "<sos> -> I -> see"
    parts = s.split(",") if "," in s else s.split()
    toks = [canonical_token(p) for p in parts]
    return [t for t in toks if re.search(r"\w", t)]  # stray punctuation or control bytes are no token


def _numbered_items(lines: list[str]) -> list[str] | None:
    """Tokens from a numbered list, one per item; None when the text is not such a list."""
    items = [m.group(1) for line in lines if (m := _NUMBERED.match(line))]
    if len(items) < 2:
        return None
    out: list[str] = []
    for item in items:
        body = _normalise(item)
        m = _W_ASSIGN.match(body)
        if m:
            body = m.group(1)
        body = _PAREN_TAIL.sub("", body).strip()
        toks = _split_inline(body)
        if not toks:
            continue
        out.append(toks[0] if len(toks) == 1 else " ".join(toks))
    return out


def parse_tokens(text: str) -> list[str]:
    """The token sequence written in ``text``, in order, specials canonicalised.

    Accepts comma lists, space-separated lines, LaTeX and numbered ``w_i = token`` lists; an
    empty list means no sequence was found.

    >>> parse_tokens(r"$\\langle \\text{sos} \\rangle, \\text{I}, \\text{see}, \\text{a}, \\text{dog}$")
    ['<sos>', 'I', 'see', 'a', 'dog']
    >>> parse_tokens("1. $w_1 = \\\\langle \\\\text{sos} \\\\rangle$ (Start of Sequence)\\n2. $w_2 = \\\\text{I}$")
    ['<sos>', 'I']
    """
    if not isinstance(text, str) or not text.strip():
        return []
    numbered = _numbered_items(text[:MAX_TEXT_CHARS].splitlines())
    if numbered is not None:
        return numbered
    s = _normalise(text[:MAX_TEXT_CHARS])
    lines = [ln for ln in s.splitlines() if ln.strip()]
    # A lead-in such as "Tokens: <sos>, I, ..." or "w_1, ..., w_5 = <sos>, I, ..." — keep what follows
    # the last colon or equals sign.
    body = " ".join(lines)
    for sep in (":", "="):
        if sep in body:
            tail = body.rsplit(sep, 1)[1]
            if tail.strip():
                body = tail
    return _split_inline(body)


def check_tokens(claim: str, reference: list[str]) -> CheckResult:
    """Compare the claimed token sequence with the reference, in order.

    Words are case-sensitive; special tokens compare in canonical form (``<SOS>`` = ``⟨sos⟩``).
    The explanation names the first position (1-based) that differs.

    >>> check_tokens("<sos> I saw a dog", ["<sos>", "I", "see", "a", "dog"]).explanation
    "position 3: expected 'see', got 'saw'"
    """
    ref = [canonical_token(t) for t in reference]
    display = ", ".join(ref)
    got = parse_tokens(claim)
    evidence: dict[str, object] = {"tokens": got, "reference": ref}
    if not got:
        return CheckResult(
            verdict="unparseable",
            reference=display,
            explanation="no token sequence found in the claim",
            evidence=evidence,
        )
    interpreted = ", ".join(got)
    if got == ref:
        return CheckResult(
            verdict="correct",
            interpreted=interpreted,
            reference=display,
            explanation=f"all {len(ref)} tokens match in order",
            evidence=evidence,
        )
    pos = next((i for i, (a, b) in enumerate(zip(got, ref, strict=False)) if a != b), None)
    if pos is not None:
        why = f"position {pos + 1}: expected {ref[pos]!r}, got {got[pos]!r}"
        if got[pos].lower() == ref[pos].lower():
            why += " (tokens are case-sensitive)"
    elif len(got) < len(ref):
        pos = len(got)
        why = f"position {pos + 1}: expected {ref[pos]!r}, the claim ends after {len(got)} tokens"
    else:
        pos = len(ref)
        why = f"position {pos + 1}: unexpected extra token {got[pos]!r} (expected {len(ref)} tokens)"
    evidence["first_difference"] = pos + 1
    return CheckResult(
        verdict="incorrect", interpreted=interpreted, reference=display, explanation=why, evidence=evidence
    )
