"""When a keyword match is not evidence: denied, inside code, or attached to the wrong subject.

The written check proposes points from the rubric's phrases; these rules keep the proposal from
crediting an answer that uses the rubric's words to say something wrong:

- **Denied.** A match followed, in its clause, by a Korean negation (`없다`, `않다`, `아니다`, `못`,
  `안 된다`, `상관없다`, `무관`) or with an English one in its clause (`not`, `no`, `never`, `n't`, `cannot`,
  `nothing to do with`, `unrelated`) is denied — unless the rubric's own wording of the item (its
  description, the model answer) denies the same phrase (`감쇠 없이`: "without decay" is right).
  Conditions (`없으면`, `않으면`, "if not") and "not only" (`뿐만 아니라`) deny nothing.
- **Code.** A match inside a fenced code block, inside inline code that looks like code, or
  inside a longer identifier (`Conv` in `conv_param`, `relu` in `Relu(`) is code, not prose;
  a pattern that names the whole identifier (`input_dim`) is the rubric asking for it.
- **Swapped.** An item may give `pairs = [[subject, term], …]`: the term that goes with each
  subject. A subject whose clause holds another pair's term and not its own is swapped.
"""

from __future__ import annotations

import re

_KO_NEG = re.compile(r"없|않|아니|못\s*하|못한|못했|못\s|못$|무관|상관\s*(이\s*)?없|관계\s*(가\s*)?없|"
                     r"(?<![가-힣])안\s*(되|된|돼|됩|하|한|해|했|쓴|썼|쓰)")
_KO_NOT_NEG = re.compile(r"(없|않|아니|못하)(으면|다면|는다면|을\s*경우|는\s*경우|은\s*경우|면)|뿐(만)?\s*아니라|"
                         r"없이|아닌가|않을까")
_EN_NEG = re.compile(r"\b(not|no|never|cannot|neither|nor|nothing to do with|unrelated|irrelevant)\b|n't\b", re.I)
_EN_NOT_NEG = re.compile(r"\bnot only\b|\bif not\b|\bno longer\b|\bnot just\b", re.I)
_CLAUSE_END = re.compile(r"[.!?;。\n]|,|(?<=[고며서])\s|지만|는데|반면|반해|\bbut\b|\bwhile\b|\bwhereas\b|\band\b", re.I)
_KO_WINDOW = 30  # a Korean predicate's negation follows the phrase within this many characters
_FENCE = re.compile(r"```.*?(```|\Z)", re.S)
_INLINE = re.compile(r"`([^`\n]+)`")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_EMPHASIS = re.compile(r"\*\*|__|`")


def flatten(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` with spacing collapsed and Markdown emphasis dropped, and the code spans in that flat text.

    Code spans: fenced blocks, inline code that looks like code (brackets, `=`, `.`, `_`).
    """
    marks: list[tuple[int, int]] = [(m.start(), m.end()) for m in _FENCE.finditer(text)]
    for m in _INLINE.finditer(text):
        if re.search(r"[()=._\[\]]", m.group(1)) and not any(s <= m.start() < e for s, e in marks):
            marks.append((m.start(), m.end()))
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(text):
        em = _EMPHASIS.match(text, i)
        if em:
            i = em.end()
            continue
        if text[i].isspace():
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            i = j
            continue
        out.append(text[i])
        where.append(i)
        i += 1
    while out and out[-1] == " ":
        out.pop()
        where.pop()
    lead = 0
    while lead < len(out) and out[lead] == " ":
        lead += 1
    flat = "".join(out[lead:])
    where = where[lead:]
    code = []
    for s, e in marks:
        inside = [k for k, w in enumerate(where) if s <= w < e]
        if inside:
            code.append((inside[0], inside[-1] + 1))
    return flat, code


def objection(flat: str, code: list[tuple[int, int]], start: int, end: int, pattern: re.Pattern[str],
              model: str) -> str:
    """Why the match flat[start:end] is not evidence ("negated", "in_code"), or "" when it is."""
    if any(s <= start < e for s, e in code) or _inside_identifier(flat, start, end):
        return "in_code"
    if denied(flat, start, end) and not _model_denies(pattern, model):
        return "negated"
    return ""


def _inside_identifier(flat: str, start: int, end: int) -> bool:
    """The match is part of a longer identifier that reads as code (snake_case, dotted, a call)."""
    for m in _IDENT.finditer(flat, max(0, start - 40), min(len(flat), end + 40)):
        if m.start() <= start < m.end() or m.start() < end <= m.end():
            token = m.group(0)
            if m.start() >= start and m.end() <= end:
                return False  # the pattern names the whole identifier
            codeish = "_" in token.strip("_") or "." in token or flat[m.end():m.end() + 1] == "("
            return codeish
    return False


def clause(flat: str, start: int, end: int) -> tuple[int, int]:
    """The clause around flat[start:end]: from the last boundary before it to the first after it."""
    before = [m.end() for m in _CLAUSE_END.finditer(flat, 0, start)]
    after = _CLAUSE_END.search(flat, end)
    return (before[-1] if before else 0), (after.start() if after else len(flat))


def denied(flat: str, start: int, end: int) -> bool:
    """Whether the clause of the phrase flat[start:end] denies it (see the module's rules)."""
    c0, c1 = clause(flat, start, end)
    tail = flat[end:min(c1, end + _KO_WINDOW)]
    tail_clean = _KO_NOT_NEG.sub(" ", tail)
    if _KO_NEG.search(tail_clean):
        return True
    whole = _EN_NOT_NEG.sub(" ", flat[c0:start] + " " + flat[end:c1])
    return bool(_EN_NEG.search(whole))


def _model_denies(pattern: re.Pattern[str], model: str) -> bool:
    """The rubric's own wording denies the phrase too (a negation is then what the answer should say)."""
    if not model:
        return False
    flat, _ = flatten(model)
    for m in pattern.finditer(flat):
        c0, c1 = clause(flat, m.start(), m.end())
        tail = flat[m.end():min(c1, m.end() + _KO_WINDOW)]
        if _KO_NEG.search(tail) or re.match(r"\s*없이", tail) or _EN_NEG.search(flat[c0:c1].replace(m.group(0), " ")):
            return True
    return False


def swapped(flat: str, pairs: list[list[str]]) -> str:
    """The subjects whose clause holds another pair's term and not their own ("LeNet: ReLU"), or ""."""
    subjects = [(re.compile(s, re.I), re.compile(term, re.I)) for s, term in pairs]
    mentions = sorted((m.start(), m.end(), k) for k, (rx, _) in enumerate(subjects) for m in rx.finditer(flat))
    wrong, right = [], 0
    for n, (s0, s1, k) in enumerate(mentions):
        stop = mentions[n + 1][0] if n + 1 < len(mentions) else len(flat)
        sentence_end = re.compile(r"[.!?。\n]").search(flat, s1)
        stop = min(stop, sentence_end.start() if sentence_end else len(flat))
        owned = flat[s1:stop]
        own = subjects[k][1].search(owned)
        others = [subjects[j][1].search(owned) for j in range(len(subjects)) if j != k]
        others = [o for o in others if o and not (own and own.start() <= o.start() < own.end())]
        if own and not denied(flat, s1 + own.start(), s1 + own.end()):
            right += 1
        elif others:
            wrong.append(f"‘{flat[s0:s1]} … {others[0].group(0)}’")
    return ", ".join(wrong) if wrong and not right else ""
