"""Bad documents: each gets a note naming the file and what to do, and the rest of the class is graded."""

from __future__ import annotations

import io
import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from documents_support import SAMPLE, docx_sheet, png, zip_bomb
from grader.cli import main
from grader.rubric import default_ids
from grader.sheets.documents import read_document
from grader.sheets.documents.guard import MAX_TOTAL_BYTES


def read(data: bytes, name: str):  # noqa: ANN201
    return read_document(data, name, default_ids())


def corrupt_docx() -> bytes:
    good = docx_sheet()
    return good[: len(good) // 2]  # cut in the middle: no central directory


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="비밀", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf() -> bytes:
    """What a scanner makes: pages that are pictures (Pillow writes them as a PDF), no text."""
    from PIL import Image, ImageDraw

    pages = []
    for k in range(2):
        im = Image.new("RGB", (1240, 1754), "white")
        ImageDraw.Draw(im).rectangle([100, 100 + 50 * k, 1100, 400], outline="black", width=8)
        pages.append(im)
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=150)
    return out.getvalue()


def enormous_picture_docx() -> bytes:
    return docx_sheet(drawing=png(7000, 7000, mode="L"))  # 49 megapixels, a small file of zeros


BAD = {
    "corrupt.docx": (corrupt_docx, "doc.corrupt", "손상"),
    "bomb_word.docx": (lambda: zip_bomb("docx"), "doc.bomb", "압축 폭탄"),
    "bomb_hangul.hwpx": (lambda: zip_bomb("hwpx"), "doc.bomb", "압축 폭탄"),
    "locked.pdf": (encrypted_pdf, "doc.encrypted", "암호"),
    "scanned.pdf": (scanned_pdf, "doc.scanned", "스캔한 PDF: 글자를 읽을 수 없어 조교 검토"),
    "unnumbered.docx": (lambda: docx_sheet(numbers=False), "sheet.no_ids", "문항 번호를 하나도 찾지 못했습니다"),
    "huge_picture.docx": (enormous_picture_docx, "doc.picture_too_big", "그림이 너무 커서"),
    "broken.hwp": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"HWP Document File" + b"\0" * 600, "doc.hwp_unreadable",
                   "PDF나 HWPX"),
}


@pytest.fixture(scope="module")
def bad_files() -> dict[str, bytes]:
    return {name: make() for name, (make, _, _) in BAD.items()}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_document_gets_a_note_naming_the_file_and_the_fix(bad_files: dict[str, bytes], name: str) -> None:
    _, _, words = BAD[name]
    sheet = read(bad_files[name], name)
    assert any(n.startswith(name) and words in n for n in sheet.notes), sheet.notes


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating_it(bad_files: dict[str, bytes]) -> None:
    data = bad_files["bomb_word.docx"]
    assert len(data) < 2 << 20 and 300 << 20 > MAX_TOTAL_BYTES
    started = time.monotonic()
    read(data, "bomb_word.docx")
    assert time.monotonic() - started < 1.0  # 300 MiB of zeros would take seconds to inflate


def test_a_member_that_lies_about_its_size_is_cut_at_its_declared_size() -> None:
    """A member whose directory entry claims 1 KiB and holds 50 MiB: zipfile stops at the claim (BadZipFile)."""
    import zipfile

    from grader.sheets.documents.guard import DocumentError, open_zip, read_member

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (50 << 20))
    data = bytearray(out.getvalue())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (1024).to_bytes(4, "little")  # uncompressed size in the central directory
    zf = open_zip(bytes(data))
    with pytest.raises(DocumentError) as err:
        read_member(zf, "word/document.xml")
    assert err.value.key == "doc.corrupt"


def test_the_other_pictures_of_a_document_with_an_enormous_one_are_not_lost(bad_files: dict[str, bytes]) -> None:
    sheet = read(bad_files["huge_picture.docx"], "huge_picture.docx")
    assert "7.4.4.1" in sheet.answers and not sheet.pictures  # the answers are read; the picture is left out


def test_a_scanned_pdf_puts_its_pages_on_the_card_for_the_ta(bad_files: dict[str, bytes]) -> None:
    sheet = read(bad_files["scanned.pdf"], "scanned.pdf")
    assert not sheet.answers and len(sheet.pictures) == 2
    assert all(p.questions == () for p in sheet.pictures)


@pytest.mark.slow
def test_a_class_with_every_bad_document_is_graded_and_each_says_why(tmp_path: Path, bad_files: dict[str, bytes]) -> None:
    cls = tmp_path / "class"
    cls.mkdir()
    shutil.copy(SAMPLE / "kim_minji" / "assignment5.py", cls / "kim_minji.py")
    for name, data in bad_files.items():
        (cls / name).write_bytes(data)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [str(cls), "--out", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    students = {s["id"]: s for s in json.loads((out / "results.json").read_text("utf-8"))["students"]}
    assert students["kim_minji"]["points"] >= 53 and students["kim_minji"]["status"] == "graded"
    for name, (_, _, words) in BAD.items():
        sid = name.rsplit(".", 1)[0]
        assert any(name in n and words in n for n in students[sid]["notes"]), (sid, students[sid]["notes"])
        assert (out / "cards" / f"{sid}.html").exists()
    scanned = students["scanned"]
    assert len(scanned["pictures"]) == 2
    assert all((out / p["file"]).is_file() for p in scanned["pictures"])
    assert "scanned" in (out / "review.html").read_text("utf-8")  # its pages wait for a person
