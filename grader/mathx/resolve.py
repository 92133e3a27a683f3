"""Symbol resolution: how words, Greek letters, subscripts and aliases become canonical symbols.

* A plain word is split left to right, longest match first, into function names (``sin``,
  ``sign``), declared symbol names (``alpha``, ``W1``), Greek names, and single letters
  (``2ab`` is ``2·a·b``); trailing digits stay on a letter (``W1``).
* ``base_sub``: a declared ``base_sub`` or ``basesub`` wins (``\\mathbf{U}_k`` -> ``U_k``,
  ``W_1`` -> ``W1``); a vector with a one-letter index that is not a symbol is a component
  (``g_i``); otherwise digits join (``x_1`` -> ``x1``) and other subscripts keep the underscore
  (``\\theta_{SGD}`` -> ``theta_SGD``).
* Aliases from the SymbolTable are matched on the token stream, longest first
  (``\\nabla f(\\theta)`` -> ``g``, ``\\Delta\\theta`` -> ``u``).
"""

from __future__ import annotations

from functools import lru_cache

from grader.mathx.lexer import GREEK, Token, tokenize
from grader.mathx.symbols import SymbolTable

FUNCTIONS = {
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "log", "ln", "lg", "exp", "sqrt", "sign", "sgn", "tr", "trace", "diag", "det", "max", "min", "abs",
    "arccot", "arcsec", "arccsc", "arsinh", "arcosh", "artanh", "Re", "Im", "arg", "conj", "relu",
}  # fmt: skip
FUNCTION_ALIASES = {
    "sgn": "sign", "trace": "tr", "Tr": "tr", "signum": "sign", "Sign": "sign", "asin": "arcsin",
    "acos": "arccos", "atan": "arctan", "arcsinh": "arsinh", "arccosh": "arcosh", "arctanh": "artanh",
    "asinh": "arsinh", "acosh": "arcosh", "atanh": "artanh", "arctg": "arctan", "tg": "tan",
    "ReLU": "relu", "Relu": "relu", "RELU": "relu",
}  # fmt: skip
KEYWORDS = {"where", "with", "and", "for", "if", "or", "then", "so", "hence", "thus"}
DISTRIBUTIONS = {
    "N", "Normal", "Bern", "Ber", "Bernoulli", "Unif", "Uniform", "Exp", "Poisson", "Pois", "Beta",
    "Gamma", "Bin", "Binomial", "Cat", "Categorical", "Dir", "Laplace", "Geom", "Geometric",
}  # fmt: skip
"""Families of distributions written as applications (``\\mathcal{N}(0, \\sigma^2)``): each is identified by
its parameters, so two laws of one family are equal exactly when their parameters are."""
OPERATOR_NAMES = {"Var", "Cov", "Corr", "Cor", "Pr", "Prob", "Std", "Bias", "MSE", "KL"}
"""Operators written as plain words before their argument (``Var[w]``, ``Cov(x, y)``): an undeclared
function applied, not the product V·a·r."""


def canonical_function(name: str) -> str | None:
    """The engine's name of a function spelled ``name`` (``sgn`` -> ``sign``), or None."""
    name = FUNCTION_ALIASES.get(name, name)
    return name if name in FUNCTIONS else None


def _word_vocabulary(symbols: SymbolTable) -> tuple[str, ...]:
    words = set(FUNCTIONS) | set(FUNCTION_ALIASES) | set(GREEK) | {"infty", "inf", "pi"}
    words |= {n for n in symbols.symbols if n.isalnum()}
    for spec in symbols.symbols.values():
        words |= {a for a in spec.aliases if a.isalnum()}
    words |= set(symbols.functions)
    return tuple(sorted(words, key=len, reverse=True))


def split_word(word: str, symbols: SymbolTable, pos: int) -> list[Token]:
    """Split a plain word into atomic tokens (see module notes). Example: ``2ab`` -> ``a``, ``b``."""
    if word in symbols.symbols or word in KEYWORDS:
        return [Token("WORD", word, pos)]
    vocab = _vocab_cached(symbols)
    out: list[Token] = []
    i = 0
    while i < len(word):
        for w in vocab:
            if word.startswith(w, i) and (len(w) > 1 or w in symbols.symbols):
                end = i + len(w)
                if w in symbols.symbols or w in symbols.functions:
                    out.append(Token("WORD", w, pos + i))
                elif canonical_function(w):
                    out.append(Token("CMD", canonical_function(w) or w, pos + i))
                elif w in ("inf", "infty"):
                    out.append(Token("CMD", "infty", pos + i))
                else:
                    out.append(Token("CMD", w, pos + i))
                i = end
                break
        else:
            j = i + 1
            while j < len(word) and word[j].isdigit():
                j += 1
            out.append(Token("WORD", word[i:j], pos + i))
            i = j
    return out


_VOCAB: dict[int, tuple[SymbolTable, tuple[str, ...]]] = {}


def _vocab_cached(symbols: SymbolTable) -> tuple[str, ...]:
    hit = _VOCAB.get(id(symbols))
    if hit is not None and hit[0] is symbols:
        return hit[1]
    vocab = _word_vocabulary(symbols)
    if len(_VOCAB) > 64:
        _VOCAB.clear()
    _VOCAB[id(symbols)] = (symbols, vocab)
    return vocab


def expand_tokens(tokens: list[Token], symbols: SymbolTable) -> list[Token]:
    """Split words and map ``\\text{sign}``-style function names to CMD tokens."""
    out: list[Token] = []
    for k, tok in enumerate(tokens):
        after_underscore = bool(out) and out[-1].kind == "OP" and out[-1].text == "_"
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if (
            tok.kind == "WORD"
            and tok.text in OPERATOR_NAMES
            and tok.text not in symbols.symbols
            and nxt is not None
            and nxt.kind == "OP"
            and nxt.text in "(["
        ):
            out.append(Token("FUNCNAME", tok.text, tok.pos))
            continue
        if tok.kind == "WORD" and after_underscore:
            out.append(tok)  # subscripts stay whole: \theta_{SGD}
        elif tok.kind == "WORD" and not tok.text.isdigit():
            parts = split_word(tok.text, symbols, tok.pos)
            if tok.braced and len(parts) > 1:
                # {ab} lost its braces to the single-token rule; the split needs them back (\frac{ab}{2})
                parts = [Token("OP", "{", tok.pos), *parts, Token("OP", "}", tok.pos + len(tok.text))]
            out.extend(parts)
        elif (
            tok.kind in ("TEXT", "FUNC")
            and canonical_function(tok.text.replace(" ", ""))
            and not (tok.kind == "TEXT" and _unit_after_value(tok, nxt))
        ):
            out.append(Token("CMD", canonical_function(tok.text.replace(" ", "")) or "", tok.pos))
        elif tok.kind == "FUNC":
            out.append(Token("WORD" if tok.text in symbols.functions else "FUNCNAME", tok.text, tok.pos))
        elif tok.kind == "CMD" and tok.text in FUNCTION_ALIASES:
            out.append(Token("CMD", FUNCTION_ALIASES[tok.text], tok.pos))
        else:
            out.append(tok)
    return out


def _unit_after_value(tok: Token, nxt: Token | None) -> bool:
    """``5 \\text{ min}``: a unit, not the function min (which takes brackets)."""
    from grader.mathx.units import unit_of

    opens = nxt is not None and nxt.kind == "OP" and nxt.text in "(["
    return not opens and unit_of(tok.text) is not None


def token_key(tok: Token) -> tuple[str, str]:
    """What an alias match compares: kind and text."""
    return (tok.kind, tok.text)


@lru_cache(maxsize=256)
def _alias_keys_cached(
    key: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[tuple[tuple[str, str], ...], str], ...]:
    table = SymbolTable()
    result: list[tuple[tuple[tuple[str, str], ...], str]] = []
    for name, aliases in key:
        for alias in (*aliases, name):
            try:
                toks = expand_tokens(tokenize(alias)[:-1], table)
            except Exception:  # noqa: BLE001 - a malformed alias is ignored, never fatal
                continue
            if len(toks) > 1 or alias != name:
                result.append((tuple(token_key(t) for t in toks), name))
    result.sort(key=lambda r: len(r[0]), reverse=True)
    return tuple(result)


Alias = tuple[tuple[tuple[str, str], ...], str]
"""The token keys of one alias and the canonical name it means."""


def alias_keys(symbols: SymbolTable) -> tuple[Alias, ...]:
    """Token-key sequences of every alias, longest first, with the canonical name they mean."""
    return alias_tables(symbols)[0]


def alias_tables(
    symbols: SymbolTable,
) -> tuple[tuple[Alias, ...], dict[tuple[str, str], tuple[Alias, ...]], tuple[Alias, ...]]:
    """:func:`alias_keys`, the same aliases by their first token key (each list in the same order),
    and the aliases of no token (matched where nothing else is); for the parser's alias lookup."""
    key = tuple((name, spec.aliases) for name, spec in sorted(symbols.symbols.items()))
    return _alias_tables_cached(key)


@lru_cache(maxsize=256)
def _alias_tables_cached(
    key: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[Alias, ...], dict[tuple[str, str], tuple[Alias, ...]], tuple[Alias, ...]]:
    aliases = _alias_keys_cached(key)
    by_first: dict[tuple[str, str], list[Alias]] = {}
    empty: list[Alias] = []
    for alias in aliases:
        if alias[0]:
            by_first.setdefault(alias[0][0], []).append(alias)
        else:
            empty.append(alias)
    return aliases, {k: tuple(v) for k, v in by_first.items()}, tuple(empty)


def subscript_name(base: str, sub: str, symbols: SymbolTable) -> str:
    """Canonical name of ``base_sub`` (see module notes). Example: ``W``, ``1`` -> ``W1``."""
    for cand in (f"{base}_{sub}", f"{base}{sub}"):
        if cand in symbols.symbols:
            return cand
    return f"{base}{sub}" if sub.isdigit() else f"{base}_{sub}"
