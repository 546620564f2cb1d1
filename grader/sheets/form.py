"""What a self-check says of a numeric or written answer: its form, never its value or its concepts.

The student kit holds no expected value and no concept (the TA's run grades those). Before the
deadline a student still learns whether the answer will be *found*: a number where a result is
asked, the working written with `*` and `+`, `OH = …` where a named value is asked, padding and
stride where their relation is asked, and for a written answer that one was found and how long it is.
"""

from __future__ import annotations

import re

from ..i18n import t
from ..model import Outcome
from .numtext import normalize, numbers
from .relation import _TERMS as TERMS  # the words for padding and stride the relation check reads

_WORKING = re.compile(r"\d\s*\*\s*\d[^\n]*\+|\+[^\n]*\d\s*\*\s*\d")


def form(check: str, text: str, params: dict) -> Outcome:
    """Not graded here (the TA's run grades it): an outcome that says only what form the answer has."""
    plain = normalize(text)
    if check == "numeric.values":
        found = [n for n in numbers(plain) if not n.operand]
        ok, message = bool(found), t("form.values", n=len(found)) if found else t("form.values.none")
    elif check == "numeric.working":
        ok = bool(_WORKING.search(plain))
        message = t("form.working") if ok else t("form.working.none")
    elif check == "numeric.named":
        name = str(params.get("name", ""))
        ok = bool(re.search(rf"(?<![A-Za-z]){re.escape(name)}\s*[=:]\s*[^\n]*\d", plain)) if name else bool(numbers(plain))
        message = t("form.named", name=name) if ok else t("form.named.none", name=name)
    elif check == "numeric.relation":
        ok = all(rx.search(plain) for rx in TERMS.values())
        message = t("form.relation") if ok else t("form.relation.none")
    elif check == "numeric.shape_meaning":
        ok = bool(plain.strip())
        message = t("form.found")
    else:  # written and drawing questions: the TA reads them
        ok, message = True, t("form.written", n=len(text.strip()))
    return Outcome.not_checked(t("form.ta_grades", what=message) if ok else t("form.ta_grades.off", what=message))
