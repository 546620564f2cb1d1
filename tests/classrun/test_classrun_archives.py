"""Unpacking a student's archive: only regular files and folders inside the folder, within limits, names as meant."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.discover.archives import (ArchiveError, ArchiveLimits, archive_stem, archive_suffix, safe_parts,
                                      single_top_folder, unpack)


def make_zip(path: Path, members: list[tuple[str, bytes]], *, utf8_flag: bool = True) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            if not utf8_flag:
                info.flag_bits &= ~0x800
            zf.writestr(info, data)
    return path


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_zip_is_unpacked_as_the_folder_it_holds(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "kim.zip", [("hw5/common/layers.py", b"x = 1\n"), ("hw5/ch07/net.py", b"y = 2\n")])
    notes = unpack(archive, tmp_path / "out")
    assert notes == []
    assert files_under(tmp_path / "out") == {"hw5/common/layers.py": b"x = 1\n", "hw5/ch07/net.py": b"y = 2\n"}
    assert single_top_folder(tmp_path / "out") == tmp_path / "out" / "hw5"


@pytest.mark.parametrize("name", ["../escape.py", "a/../../escape.py", "/etc/escape.py", "C:\\escape.py",
                                  "..\\..\\escape.py", "ok/../../x.py"])
def test_a_name_that_climbs_out_is_refused_with_a_note(tmp_path: Path, name: str) -> None:
    archive = make_zip(tmp_path / "evil.zip", [(name, b"owned"), ("ok.py", b"fine")])
    notes = unpack(archive, tmp_path / "dest" / "out")
    assert files_under(tmp_path) == {"evil.zip": archive.read_bytes(), "dest/out/ok.py": b"fine"}
    assert len(notes) == 1 and "폴더 밖" in notes[0]


def test_links_and_devices_in_a_tar_are_never_made(tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        for kind, name, target in ((tarfile.SYMTYPE, "link.py", "/work/main/assignments/a5_cnn/reference/layers.py"),
                                   (tarfile.LNKTYPE, "hard.py", "/etc/passwd"), (tarfile.CHRTYPE, "tty", ""),
                                   (tarfile.FIFOTYPE, "pipe", "")):
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, target
            tf.addfile(info)
        data = b"print('ok')\n"
        info = tarfile.TarInfo("solution.py")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    notes = unpack(archive, tmp_path / "out")
    assert files_under(tmp_path / "out") == {"solution.py": b"print('ok')\n"}
    assert not any(p.is_symlink() for p in (tmp_path / "out").rglob("*"))
    assert len(notes) == 4 and sum("링크" in n for n in notes) == 2


def test_a_symlink_in_a_zip_is_not_made(tmp_path: Path) -> None:
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("layers.py")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/work/main/assignments/a5_cnn/reference/layers.py")
        zf.writestr("mine.py", "a = 1\n")
    notes = unpack(archive, tmp_path / "out")
    assert files_under(tmp_path / "out") == {"mine.py": b"a = 1\n"}
    assert notes and "layers.py" in notes[0]


class Cp949Name(zipfile.ZipInfo):
    """A zip entry named as Korean Windows names it: CP949 bytes, without the UTF-8 flag."""

    def _encodeFilenameFlags(self):  # noqa: N802, ANN202 - zipfile's own hook
        return self.filename.encode("cp949"), self.flag_bits & ~0x800


def test_cp949_names_of_korean_windows_are_decoded_and_macos_leftovers_dropped(tmp_path: Path) -> None:
    archive = tmp_path / "win.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in (("과제5/풀이.py", b"a = 1\n"), ("__MACOSX/과제5/._풀이.py", b"junk"),
                           ("과제5/.DS_Store", b"junk"), ("과제5/Thumbs.db", b"junk")):
            zf.writestr(Cp949Name(name), data)
    with zipfile.ZipFile(archive) as zf:  # what Python alone would make of it: CP437 mojibake
        assert not any(i.flag_bits & 0x800 for i in zf.infolist()) and "과제5/풀이.py" not in zf.namelist()
    notes = unpack(archive, tmp_path / "out")
    assert notes == []
    assert files_under(tmp_path / "out") == {"과제5/풀이.py": b"a = 1\n"}


def test_names_are_nfc_and_utf8_without_the_flag_is_read_as_utf8(tmp_path: Path) -> None:
    import unicodedata

    class Utf8NoFlag(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):  # noqa: N802, ANN202
            return self.filename.encode("utf-8"), self.flag_bits & ~0x800

    decomposed = unicodedata.normalize("NFD", "한글.py")  # as macOS writes Hangul
    with zipfile.ZipFile(tmp_path / "mac.zip", "w") as zf:
        zf.writestr(Utf8NoFlag(decomposed), b"x = 1")
    unpack(tmp_path / "mac.zip", tmp_path / "out")
    assert list(files_under(tmp_path / "out")) == ["한글.py"]


def test_a_bomb_stops_at_the_limits_with_a_note(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for k in range(6):
            zf.writestr(f"zeros{k}.bin", b"\0" * (3 << 20))
    assert archive.stat().st_size < 200_000  # 18 MiB of zeros in a few kilobytes
    limits = ArchiveLimits(total_bytes=8 << 20, file_bytes=4 << 20, files=100)
    notes = unpack(archive, tmp_path / "out", limits)
    assert sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file()) <= 8 << 20
    assert any("MiB" in n for n in notes)


def test_too_many_files_stop_with_a_note(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "many.zip", [(f"f{k}.txt", b"x") for k in range(30)])
    notes = unpack(archive, tmp_path / "out", ArchiveLimits(files=10))
    assert len(files_under(tmp_path / "out")) == 10
    assert any("10" in n for n in notes)


def test_a_member_larger_than_it_claims_is_cut_at_the_limit(tmp_path: Path) -> None:
    archive = tmp_path / "liar.tar"
    with tarfile.open(archive, "w") as tf:
        data = b"a" * (2 << 20)
        info = tarfile.TarInfo("big.txt")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        small = tarfile.TarInfo("small.py")
        small.size = 3
        tf.addfile(small, io.BytesIO(b"x=1"))
    notes = unpack(archive, tmp_path / "out", ArchiveLimits(file_bytes=1 << 20))
    assert files_under(tmp_path / "out") == {"small.py": b"x=1"}
    assert any("big.txt" in n for n in notes)


def test_nested_archives_are_not_opened(tmp_path: Path) -> None:
    inner = make_zip(tmp_path / "inner.zip", [("a.py", b"a=1")])
    archive = make_zip(tmp_path / "outer.zip", [("inner.zip", inner.read_bytes()), ("b.py", b"b=2")])
    notes = unpack(archive, tmp_path / "out")
    assert files_under(tmp_path / "out") == {"b.py": b"b=2"}
    assert any("inner.zip" in n for n in notes)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really", b"\x1f\x8b garbage", os.urandom(300)])
def test_a_corrupt_archive_is_an_archive_error_naming_it(tmp_path: Path, content: bytes) -> None:
    for name in ("kim.zip", "kim.tar.gz"):
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ArchiveError, match=name.replace(".", r"\.")):
            unpack(tmp_path / name, tmp_path / f"out-{name}")


def test_suffixes_and_stems() -> None:
    assert [archive_suffix(n) for n in ("a.zip", "a.ZIP", "a.tar.gz", "a.tgz", "a.tar", "a.py", ".zip")] == \
        [".zip", ".zip", ".tar.gz", ".tgz", ".tar", "", ""]
    assert archive_stem("kim minji.tar.gz") == "kim minji" and archive_stem("kim.zip") == "kim"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab./\\:.\0 가")), max_size=12))
def test_an_allowed_name_always_lands_inside_the_folder(name: str) -> None:
    parts = safe_parts(name)
    if parts is None:
        return
    target = Path("/dest").joinpath(*parts)
    assert os.path.normpath(target).startswith("/dest/") and ".." not in parts and "" not in parts
