"""Student ids → stored names: one to one, on every file system, whatever the id."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.sheets.documents.media import media_folder
from grader.discover.ids import file_stem
from grader.report.html import card_names

ids = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40) | \
    st.text(alphabet="abcKIM_- .0123456789/\\", max_size=12)


@settings(max_examples=500, deadline=None)
@given(st.lists(ids, min_size=2, max_size=8, unique=True))
def test_different_ids_never_share_a_name_even_folded_to_lower_case(many: list[str]) -> None:
    stems = [file_stem(i) for i in many]
    assert len({s.lower() for s in stems}) == len(many)


@settings(max_examples=300, deadline=None)
@given(ids)
def test_a_name_is_plain_ascii_never_hidden_never_a_path_and_the_id_alone_decides_it(sid: str) -> None:
    stem = file_stem(sid)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", stem) and len(stem) <= 64 + 18
    assert stem == file_stem(sid) == media_folder(sid) == card_names([sid, "other"])[sid]


def test_the_ids_of_the_issue() -> None:
    assert file_stem("kim_minji") == "kim_minji" and file_stem("2023123456") == "2023123456"
    assert file_stem("kim minji") != file_stem("kim_minji") != file_stem("kim.minji")
    assert file_stem("Kim_Minji").lower() != file_stem("kim_minji")
    assert file_stem("CON").lower() != "con" and file_stem("con") != "con"
    assert file_stem("김민지").startswith("id--") and file_stem("../etc/passwd").startswith("etc_passwd--")
