"""The readers on documents of our own making: answers by question, code with its indentation, pictures in place."""

from __future__ import annotations

import ast

import pytest

from documents_support import CHROMIUM, POOLING, SHAPE_ANSWER, docx_sheet, hwpx_sheet, pdf_from_html, png
from grader.rubric import default_ids
from grader.sheets import question_code
from grader.sheets.documents import read_document, sniff


def read(data: bytes, name: str):  # noqa: ANN201
    return read_document(data, name, default_ids())


def assert_pooling(sheet) -> None:  # noqa: ANN001
    code = question_code(sheet, "7.4.4.1")
    assert code.ok, code.notes
    assert code.source.strip() == POOLING  # indentation and blank lines as written
    ast.parse(code.source)


@pytest.mark.parametrize("styled", [True, False], ids=["heading-styles", "plain-paragraphs"])
@pytest.mark.parametrize("code_as", ["paragraphs", "box"])
def test_a_word_sheet_gives_its_answers_code_and_drawing_under_their_numbers(styled: bool, code_as: str) -> None:
    sheet = read(docx_sheet(styled=styled, code_as=code_as), "kim.docx")
    assert sheet.format == "docx" and not sheet.notes
    assert set(sheet.answers) == {"7.4.1.1", "7.2.6.1", "7.4.4.1"}
    assert SHAPE_ANSWER in sheet.answers["7.4.1.1"].body
    assert_pooling(sheet)
    assert [p.questions for p in sheet.pictures] == [("7.2.6.1",)]  # between two answers: the one numbered before it
    assert sheet.pictures[0].media_type == "image/png" and sheet.pictures[0].width == 120


def test_word_numbering_is_written_as_word_shows_it() -> None:
    body = read(docx_sheet(), "kim.docx").answers["7.4.1.1"].body
    assert "1. 데이터 수\n2. 채널, 높이, 너비" in body  # List Number items, one per line, numbered


def test_a_box_in_the_body_font_is_code_when_it_reads_as_code() -> None:
    assert_pooling(read(docx_sheet(code_as="plain_box"), "kim.docx"))


def test_a_word_sheet_without_question_numbers_says_how_to_number_them() -> None:
    sheet = read(docx_sheet(numbers=False), "kim.docx")
    assert not sheet.answers
    assert any(n.startswith("kim.docx: ") and "7.2.4" in n for n in sheet.notes)


@pytest.mark.parametrize("binary", [False, True], ids=["hwpx", "hwp"])
def test_a_hangul_sheet_is_read_like_a_word_one(binary: bool) -> None:
    name = "lee.hwp" if binary else "lee.hwpx"
    data = hwpx_sheet(binary=binary)
    assert sniff(data, name) == ("hwp" if binary else "hwpx")
    sheet = read(data, name)
    assert not sheet.notes, sheet.notes
    assert set(sheet.answers) >= {"7.4.1.1", "7.2.6.1", "7.4.4.1", "7.2.2.1"}
    assert SHAPE_ANSWER in sheet.answers["7.4.1.1"].body
    assert_pooling(sheet)  # D2Coding paragraphs are code
    assert "3\t3\t2\n0\t5\t1" in sheet.answers["7.2.2.1"].body  # the grid as the seed's .txt has it
    assert [p.questions for p in sheet.pictures] == [("7.2.6.1",)]


def test_a_renamed_file_is_read_as_what_it_is() -> None:
    sheet = read(docx_sheet(), "kim.pdf")
    assert sheet.format == "docx" and "7.4.4.1" in sheet.answers
    assert any("DOCX" in n for n in sheet.notes)


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is installed by scripts/setup-system.sh")


@pytest.fixture(scope="module")
def printed_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    import base64
    import html

    rows = "".join(f"<tr><td>{i}</td><td>{i * i}</td><td>{i % 3}</td></tr>" for i in range(1, 61))
    picture = base64.b64encode(png(200, 120)).decode()
    filler = "".join(f"<p>채우는 문단 {k}: 합성곱 계층은 입력 데이터에 필터를 적용한다.</p>" for k in range(22))
    body = (f"<p>7.4.1.1 데이터의 형상이 (105, 2, 50, 50)이라면 이는 무슨 뜻인가?</p><p>{SHAPE_ANSWER}</p>"
            f'<p>7.2.6.1 흐름을 하나의 그림으로 나타내시오.</p><img style="width:60mm" src="data:image/png;base64,{picture}">'
            f"<p>7.4.4.1 다음은 풀링 계층 구현의 forward 처리 흐름이다. 이를 파이썬으로 구현하시오.</p>"
            f"<pre>{html.escape(POOLING)}</pre>"
            f"<p>7.2.2.1 필터를 적용한 연산을 수행하시오.</p>{filler}<table>{rows}</table>"
            "<p>7.2.7.1 배치 처리의 장점을 간단히 설명하시오.</p><p>한 번에 여러 데이터를 처리해 빠르다.</p>")
    return pdf_from_html(body, tmp_path_factory.mktemp("pdf") / "sheet.pdf")


@needs_chromium
def test_a_printed_pdf_keeps_code_indentation_and_drops_headers_and_page_numbers(printed_pdf: bytes) -> None:
    sheet = read(printed_pdf, "park.pdf")
    assert not sheet.notes, sheet.notes
    assert set(sheet.answers) == {"7.4.1.1", "7.2.6.1", "7.4.4.1", "7.2.2.1", "7.2.7.1"}
    assert SHAPE_ANSWER in sheet.answers["7.4.1.1"].body
    assert_pooling(sheet)
    text = "\n".join(a.text for a in sheet.answers.values())
    assert "과제 #5 답안지" not in text  # the running header, on every page
    assert [p.questions for p in sheet.pictures] == [("7.2.6.1",)]


@needs_chromium
def test_a_table_split_across_pages_is_one_table_of_tab_separated_rows(printed_pdf: bytes) -> None:
    body = read(printed_pdf, "park.pdf").answers["7.2.2.1"].body
    rows = [line for line in body.split("\n") if "\t" in line]
    assert rows == [f"{i}\t{i * i}\t{i % 3}" for i in range(1, 61)]  # no page number or header among them


def test_a_picture_is_kept_as_it_is_when_small_and_scaled_down_when_large() -> None:
    from grader.sheets.documents.pictures import MAX_SIDE, check_picture

    small = check_picture(png(100, 50), "image1.png")
    assert small.width == 100 and small.data == png(100, 50)
    large = check_picture(png(5000, 1000), "image2.png")
    assert max(large.width, large.height) == MAX_SIDE and large.media_type in ("image/png", "image/jpeg")
    assert check_picture(b"GIF89a not really", "x.gif").key == "doc.picture_bad"


def test_the_seed_documents_read_as_the_seed_text() -> None:
    """Every answer of the seed's .docx and .pdf reads as the .txt's: its code blocks line for line (indentation
    included), its prose line for line (blank lines and a line's leading spaces aside)."""
    from documents_support import SAMPLE
    from grader.sheets import parse_sheet

    def lines(s: str) -> list[str]:
        return [line.rstrip() for line in s.split("\n") if line.strip()]

    text = parse_sheet((SAMPLE / "seed_047ccd1e.txt").read_text("utf-8"), default_ids())
    for name in ("seed_047ccd1e_docx.docx", "seed_047ccd1e_pdf.pdf"):
        doc = read((SAMPLE / name).read_bytes(), name)
        assert set(doc.answers) == set(text.answers), name
        for qid, answer in text.answers.items():
            got = doc.answers[qid]
            assert [lines(b.source) for b in got.code_blocks] == [lines(b.source) for b in answer.code_blocks], (name, qid)
            assert [ln.strip() for ln in lines(got.prose)] == [ln.strip() for ln in lines(answer.prose)], (name, qid)
