"""7.2.4's relation in words: more padding, bigger output; more stride, smaller output.

Each mention of padding or stride owns the clause around it (up to the other term or the end of
the sentence). A clause says "same direction" when its first and last direction words agree
(`패딩을 키우면 … 커진다`, `the larger the padding, the larger the output`, `비례`) and "opposite"
otherwise (`스트라이드를 키우면 … 작아진다`, `반비례`). Padding must go the same way as the output,
stride the opposite way; each is half the credit.
"""

from __future__ import annotations

import re

from ..i18n import t
from ..model import Outcome

_TERMS = {
    "padding": re.compile(r"패딩|padding|(?<![A-Za-z])pad(?![A-Za-z])", re.I),
    "stride": re.compile(r"스트라이드|stride|보폭", re.I),
}
_UP = (r"키우|키울|키운|키워|커지|커진|커질|커짐|커져|커서|크면|클수록|크게|크다|늘리|늘린|늘려|늘어|늘면|늘수록|"
       r"증가|많아|많을수록|많으면|넓어|넓히|높이면|높아|확대|길어|"
       r"increas|larger|bigger|grow|greater|more\b|higher|expand|enlarg")
_DOWN = (r"작아|작게|작으면|작을수록|작다|작은|줄이|줄인|줄여|줄어|줄면|줄수록|감소|적어|적을수록|적으면|좁아|좁히|"
         r"낮추|낮아|축소|짧아|decreas|smaller|shrink|reduc|less\b|fewer|lower")
_DIRECTION = re.compile(rf"(?P<up>{_UP})|(?P<down>{_DOWN})", re.I)
_INVERSE = re.compile(r"반비례|inversely|inverse", re.I)
_PROPORTIONAL = re.compile(r"비례|proportional", re.I)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+|;")
_BOUNDARY = re.compile(r",|고\s|며\s|\band\b|\bwhile\b|\bwhereas\b|\bbut\b|반면", re.I)
_WANTED = {"padding": "same", "stride": "opposite"}


def relation(text: str) -> Outcome:
    """Half credit for padding (bigger → output bigger), half for stride (bigger → output smaller)."""
    said: dict[str, set[str]] = {"padding": set(), "stride": set()}
    for sentence in _SENTENCES.split(text):
        for term, direction in _clauses(sentence):
            said[term].add(direction)
    fraction = 0.0
    parts = []
    for term in ("padding", "stride"):
        if _WANTED[term] in said[term]:
            fraction += 0.5
            parts.append(t("numeric.relation.found", term=t(f"numeric.relation.with.{term}")))
        elif said[term]:
            parts.append(t("numeric.relation.wrong", term=t(f"numeric.relation.with.{term}")))
        else:
            parts.append(t("numeric.relation.missing", subject=t(f"numeric.relation.subject.{term}")))
    message = "; ".join(parts) + "."
    return Outcome(fraction, message[:1].upper() + message[1:])


def _clauses(sentence: str) -> list[tuple[str, str]]:
    """(term, "same" | "opposite") for each term mention whose clause states a direction."""
    mentions = sorted((m.start(), m.end(), term) for term, rx in _TERMS.items() for m in rx.finditer(sentence))
    if not mentions:
        return []
    out = []
    starts = []
    previous_end = 0
    for start, end, _ in mentions:
        boundaries = [b.end() for b in _BOUNDARY.finditer(sentence, previous_end, start)]
        starts.append(boundaries[-1] if boundaries else previous_end)
        previous_end = end
    words_all = list(_DIRECTION.finditer(sentence))
    for i, (start, end, term) in enumerate(mentions):
        clause_end = starts[i + 1] if i + 1 < len(mentions) else len(sentence)
        clause = sentence[starts[i]:clause_end]
        if _INVERSE.search(clause):
            out.append((term, "opposite"))
            continue
        if _PROPORTIONAL.search(clause):
            out.append((term, "same"))
            continue
        words = [w for w in words_all if starts[i] <= w.start() < clause_end]
        if len(words) == 1:  # "패딩이 클수록, 스트라이드가 작을수록 출력은 커진다": a shared result
            later = [w for w in words_all if w.start() >= clause_end]
            if later:
                words.append(later[-1])
        if len(words) < 2:
            continue
        first = "up" if words[0].group("up") else "down"
        last = "up" if words[-1].group("up") else "down"
        out.append((term, "same" if first == last else "opposite"))
    return out
