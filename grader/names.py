"""Names as students spell them: `ReLU` for `Relu`, `affine` for `Affine`, `conv_params` for `conv_param`.

A name is compared in its normal form (lower case, without underscores or dashes); a near miss is
a normal form at most one edit away (two for long names: a letter added, dropped, changed, or two
letters swapped), and only for names long enough that one edit does not make another word.
"""

from __future__ import annotations


def normal(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def distance(a: str, b: str, limit: int = 3) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment), capped at `limit`."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
        if min(row) >= limit:
            return limit
    return min(prev[-1], limit)


def allowed_edits(name: str) -> int:
    n = len(normal(name))
    return 0 if n < 6 else 1 if n < 9 else 2


def near(a: str, b: str) -> bool:
    """The same name in its normal form, or a near miss of it."""
    na, nb = normal(a), normal(b)
    if na == nb:
        return True
    edits = min(allowed_edits(a), allowed_edits(b))
    return edits > 0 and distance(na, nb, edits + 1) <= edits


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate that is `name` in its normal form, else its nearest near miss (None if none)."""
    same = [c for c in candidates if normal(c) == normal(name)]
    if same:
        return same[0]
    scored = sorted((distance(normal(name), normal(c)), i, c) for i, c in enumerate(candidates) if near(name, c))
    return scored[0][2] if scored else None
