"""Whose voice a paragraph is in, read from its grammar and what it refers to, not from a list of phrases.

A student's commentary typed in the chat's own font and colour (a write-up, a Google Doc, a note typed
between two turns) is told from the chat by how it speaks, sentence by sentence:

- **reference**: it talks *about* the model or its work in the third person: "the model", "the LLM", a
  model's name, "its answer", "this solution", "the response to part (b)", or "it" as the subject of a
  verb in the past tense;
- **evaluation**: it judges that work with an evaluative predicate, a class of words rather than a
  list of sentences (correct / wrong / accurate / missed / failed / hallucinated / skipped / struggled
  / solved ... and their adverbs);
- **the student's own first person**: "I asked", "I noticed", "I copied", "my prompt", "I will be
  using", "I aim": the student narrating what they did to the model.

And the opposite evidence, which lowers the score: a sentence addressed *to* the model ("you",
"please", an imperative opening: that is a prompt), the model's own first person ("Let me", "I'll",
"we get"), and display mathematics (the model's working).

:func:`student_voice` returns the score with the evidence that made it, so a caller can record why a
paragraph was taken for the student's note; ``student_notes.voice_score`` stays the phrase-based
measure that other readers use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MODEL_NAMES = (
    r"ChatGPT|GPT[- ]?\d[\w.\-]*|GPT|o[134](?:-\w+)?|Gemini|Claude|Opus|Sonnet|Haiku|Mistral|Le Chat|DeepSeek"
    r"|Grok|Kimi|Qwen|Llama|Gemma|Perplexity|Copilot"
)
_NAMED_REF = re.compile(rf"\b(?:{MODEL_NAMES})\b(?!-\w)")
"""The model named unambiguously, by its name."""
_GENERIC = r"\b(?i:the|this|that) (?i:model|LLM|AI|chat ?bot|assistant)\b"
_MODEL_REF = re.compile(rf"{_NAMED_REF.pattern}|{_GENERIC}")
"""... or as "the model", "the LLM", which in a deep-learning course may also be the network the homework
trains or studies."""
_WORK = (
    r"(?:solution|answer|response|reply|derivation|explanation|output|result|proof|reasoning|attempt"
    r"|approach|calculation|computation|work)s?"
)
_WORK_REF = re.compile(
    rf"\b(?:its|their|this|that|these|those|the|each|both|all|every|the model's|the final) (?:final |first |second "
    rf"|new |whole |entire |overall )?{_WORK}\b",
    re.IGNORECASE,
)
_EVAL = re.compile(
    r"\b(?:correct|incorrect|wrong|accurate|inaccurate|flawless|perfect|valid|invalid|mistaken"
    r"|spot[- ]on|impressive|reasonable|plausible|sloppy|vague|misleading|confused|confusing|thorough"
    r"|incomplete|concise|verbose|excellent"
    r"|correctly|incorrectly|wrongly|accurately|properly|successfully|perfectly|mistakenly|flawlessly"
    r"|missed|misses|miss|failed|fails|struggled|struggles|skipped|skips|forgot|forgets|ignored|ignores"
    r"|hallucinat\w*|nailed|botched|misread|misreads|misunderstood|misinterpreted|overlooked|omitted"
    r"|identified|identifies|recogni[sz]ed|recogni[sz]es|solved|solves|understood|understands|caught"
    r"|mistakes?|typos?|one[- ]?shot\w*"
    r"|(?:performed|did|worked|handled (?:it|this|them)) (?:\w+ly )?(?:well|poorly|badly))\b",
    re.IGNORECASE,
)
_EVAL_ACT = re.compile(
    r"^(?:correctly|incorrectly|wrongly|accurately|properly|successfully|perfectly|mistakenly|flawlessly"
    r"|missed|misses|failed|fails|struggled|struggles|skipped|skips|forgot|forgets|ignored|ignores"
    r"|hallucinat\w*|nailed|botched|misread|misreads|misunderstood|misinterpreted|overlooked|omitted"
    r"|identified|identifies|recogni[sz]ed|recogni[sz]es|solved|solves|understood|understands|caught|got)$",
    re.IGNORECASE,
)
"""What the model did, judged: the verb (or the adverb before it) of a sentence whose subject it is."""
_ADVERB = (
    r"(?:\w+ly|also|still|then|again|not|never|even|only|just|immediately|eventually|finally|did not|didn't)"
)
_IRREGULAR_PAST = (
    r"gave|took|made|wrote|sent|ran|got|found|saw|thought|began|chose|went|put|had|did|told|kept|left"
    r"|fed|felt|knew|let|set|came|brought|understood|forgot|was|were|became|stuck|read|said"
)
_PAST = rf"(?:[a-z]{{2,}}ed|{_IRREGULAR_PAST})"
_IT_PAST = re.compile(
    rf"(?:^|[.;:]\s+|,\s+)(?:it|they)\s+(?P<adv>{_ADVERB}\s+)?(?P<verb>{_PAST})\b", re.IGNORECASE
)
_IT_JUDGED = re.compile(
    r"(?:^|[.;:]\s+|,\s+)(?:it|they)\s+(?P<adv>correctly|incorrectly|wrongly|accurately|properly|successfully"
    r"|mistakenly)\s+(?P<verb>[a-z]+)\b",
    re.IGNORECASE,
)
"""'it' judged by an adverb of what it does in the present ("it properly identifies"): weaker than the past."""
_SUBJECT_VERB = rf"\s+(?:(?P<adv>{_ADVERB})\s+|(?:was|is|does|did|has|had)\s+){{0,2}}(?P<verb>[a-z]+)\b"
_NAMED_SUBJECT = re.compile(rf"(?:{_NAMED_REF.pattern}){_SUBJECT_VERB}")
_MODEL_SUBJECT = re.compile(rf"{_GENERIC}{_SUBJECT_VERB}")
_STUDENT_I = re.compile(
    rf"\bI\s+(?:{_ADVERB}\s+)?(?:{_PAST}|aim|want|wanted|will be using|decided|noticed|think|believe|feel"
    r"|would say|'d say|expected|tried|asked|prompted|instructed|provided|copied|pasted|attached|gave|used)\b"
    r"|\b(?i:my) (?:own )?(?:prompts?|prompting|annotations?|notes?|comments?|follow-?up|instructions?|input"
    r"|question to|solutions?|answers?|work)\b"
    r"|\b(?:I|we) (?:re-?)?(?:asked|prompted|instructed|told|fed|gave) (?:it|the model|him|her|them)\b",
)
_STRONG_I = re.compile(
    r"\bmy (?:prompts?|prompting|annotations?|follow-?up)\b|\b(?:I|we) (?:(?:could|should|would|might) have |had )?"
    r"(?:re-?)?(?:asked|prompted|instructed|told|fed|gave) (?:it|the model)\b",
    re.IGNORECASE,
)
_ADDRESSED = re.compile(
    r"\byou(?:r|rs|rself)?\b|^\s*(?:please|solve|compute|calculate|derive|show|explain|find|prove|answer"
    r"|write|give|fill|consider|assume|suppose|now,? (?:solve|do|consider))\b",
    re.IGNORECASE,
)
_MODEL_SELF = re.compile(
    r"\b(?:Let me|Let's|Let us|I'll|I will (?!be using)|I can|I need|I should|I'd be happy|Here's|Here is (?!my)"
    r"|we (?:get|have|obtain|find|see|can|need|know|want|use|compute|write|derive|note))\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“(—–-]?\s*[A-Z0-9])")
_MATH = re.compile(r"\$[^$]*\$|[=^_\\]")


@dataclass(frozen=True)
class Voice:
    """How strongly a paragraph reads as the student commenting on the model, and why."""

    score: int
    """Sum over the sentences (each at most 4); below 0 it speaks to the model or as the model."""
    evidence: tuple[str, ...]
    """What was found, one phrase per kind of evidence ("speaks of the model in the third person")."""
    addressed: bool
    """Some sentence speaks *to* the model (a prompt), or as the model (its own first person)."""
    sentences: int = 1
    """How many sentences the paragraph has."""
    voiced: int = 0
    """How many of them read as the student's (a score above 0)."""

    @property
    def throughout(self) -> bool:
        """At least half of the sentences read as the student's: the voice of the whole paragraph."""
        return 2 * self.voiced >= self.sentences

    @property
    def confidence(self) -> float:
        """A confidence for the decision the score supports (0.5 to 0.85)."""
        return round(min(0.85, 0.45 + 0.08 * max(0, self.score)), 2)


def _judged(match: re.Match[str] | None) -> bool:
    """The subject's verb, or the adverb before it, judges what the model did ("correctly derived",
    "missed")."""
    if match is None:
        return False
    adv = (match.group("adv") or "").strip()
    return bool(_EVAL_ACT.match(match.group("verb")) or (adv and _EVAL_ACT.match(adv)))


def _sentence(text: str, found: set[str]) -> tuple[int, bool]:
    """One sentence's score and whether it speaks to the model or as the model."""
    named = _NAMED_REF.search(text)
    work = _WORK_REF.search(text)
    evaluates = _EVAL.search(text)
    student = _STUDENT_I.search(text)
    score = 0
    # "the model" may be the network of the homework: only a judged act of its counts ("the model
    # correctly identifies"), where a named model counts with any evaluation in the sentence
    if (named and (evaluates or _judged(_NAMED_SUBJECT.search(text)))) or _judged(
        _MODEL_SUBJECT.search(text)
    ):
        score += 3
        found.add("speaks of the model in the third person, judging what it did")
    elif _judged(_IT_PAST.search(text)):
        score += 3
        found.add("narrates what 'it' did in the past tense, judging it (it correctly found, it missed)")
    elif _IT_JUDGED.search(text) or (work and evaluates):
        score += 2
        found.add("evaluates an answer it refers to (this solution / its answer ... correct, missed)")
    if _STRONG_I.search(text):
        score += 3
        found.add("the student's own first person about the prompting (my prompt, I asked it)")
    elif student and (_MODEL_REF.search(text) or work or evaluates):
        score += 2
        found.add("the student's first person (I asked, I noticed, I will be using)")
    elif student:
        score += 1
    against = False
    if _ADDRESSED.search(text):
        score -= 3
        against = True
    if _MODEL_SELF.search(text):
        score -= 2
        against = True
    if len(_MATH.findall(text)) > max(3, len(text) // 40):
        score -= 2
    return min(score, 4), against


@lru_cache(maxsize=4096)
def student_voice(text: str) -> Voice:
    """How strongly ``text`` reads as the student's commentary on the model (see the module docstring).

    >>> student_voice("The model correctly derived the update, but it missed the sign in part (b).").score >= 3
    True
    >>> student_voice("Let's compute the gradient of the loss with respect to the weights.").score <= 0
    True
    >>> student_voice("Please solve part (b) and show your work.").addressed
    True
    """
    flat = " ".join(text.split())
    if not flat or "$$" in flat:
        return Voice(0, (), "$$" in flat)
    found: set[str] = set()
    total, against, voiced = 0, False, 0
    sentences = [x for x in _SENTENCE.split(flat) if x.strip()]
    for sentence in sentences:
        score, opposed = _sentence(sentence, found)
        total += score
        voiced += score > 0
        against = against or opposed
    if against:
        found.add("but some sentence speaks to the model or as the model")
    return Voice(total, tuple(sorted(found)), against, len(sentences), voiced)
