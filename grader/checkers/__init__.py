"""Text checkers used by the answer kinds that are not formulas: names, token sequences, choices,
quantities with units, and free text matched by meaning. Each returns a
:class:`grader.verdicts.CheckResult`; none knows any homework (what to look for comes from the rubric)."""

from grader.checkers.choices import check_choice, match_option, parse_selection
from grader.checkers.concept import MIN_WORDS, Idea, check_concept, detect_conclusion, ideas_from_config
from grader.checkers.names import Vocabulary, asserted_name, check_name, identify_names
from grader.checkers.quantity import (
    Fact,
    Quantity,
    check_quantity,
    exponent_superscripts,
    facts_from_text,
    parse_quantities,
    quantity_matches,
    unsupported_numbers,
)
from grader.checkers.text_utils import (
    MAX_TEXT_CHARS,
    check_word_limit,
    count_words,
    plain_text,
    strip_markdown,
)
from grader.checkers.tokens import canonical_token, check_tokens, parse_tokens

__all__ = [
    "MAX_TEXT_CHARS",
    "MIN_WORDS",
    "Fact",
    "Idea",
    "Quantity",
    "Vocabulary",
    "asserted_name",
    "canonical_token",
    "check_choice",
    "check_concept",
    "check_name",
    "check_quantity",
    "check_tokens",
    "check_word_limit",
    "count_words",
    "detect_conclusion",
    "exponent_superscripts",
    "facts_from_text",
    "identify_names",
    "ideas_from_config",
    "match_option",
    "parse_quantities",
    "parse_selection",
    "parse_tokens",
    "plain_text",
    "quantity_matches",
    "strip_markdown",
    "unsupported_numbers",
]
