"""The report pages' messages: the grader's one catalogue, `grader/i18n.py` (re-exported here)."""

from __future__ import annotations

from ..i18n import CATALOGUE, DEFAULT_LANG, LANGS, current_lang, set_lang, t, use_lang

__all__ = ["CATALOGUE", "DEFAULT_LANG", "LANGS", "current_lang", "set_lang", "t", "use_lang"]
