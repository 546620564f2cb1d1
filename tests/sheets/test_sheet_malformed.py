"""Malformed sheets get a clear Korean note and whatever can be graded — never an exception."""

from __future__ import annotations

import codecs

from grader.sheets import decode_text, parse_sheet, question_code, read_sheet

IDS = ["7.2.3.1", "7.2.4", "7.4.3.2", "7.4.4.1"]


def test_sheet_without_question_numbers_says_how_to_number_answers():
    sheet = parse_sheet("과제 답안\n\n패딩은 출력 크기를 유지한다.\n", IDS)
    assert sheet.answers == {}
    assert len(sheet.notes) == 1 and "문항 번호를 하나도 찾지 못했습니다" in sheet.notes[0]


def test_number_twice_in_different_places_keeps_both_texts():
    sheet = parse_sheet("7.2.4 관계\n첫 번째 답\n\n7.2.3.1 패딩\n목적\n\n7.2.4 다시\n두 번째 답\n", IDS)
    text = sheet.answers["7.2.4"].text
    assert "첫 번째 답" in text and "두 번째 답" in text
    assert "목적" not in text
    assert any("7.2.4번이 두 곳(줄 1, 줄 7)" in n for n in sheet.notes)


def test_unterminated_fence_reads_the_rest_as_code():
    sheet = parse_sheet("7.4.3.2 구현\n```python\nclass Convolution:\n    pass\n", IDS)
    (block,) = sheet.answers["7.4.3.2"].code_blocks
    assert not block.closed
    assert question_code(sheet, "7.4.3.2").ok
    assert any("줄 2에서 연 코드 블록" in n and "파일 끝까지" in n for n in sheet.notes)


def test_unterminated_fence_stops_at_the_next_question_heading():
    sheet = parse_sheet("7.4.3.2 구현\n```\nclass Convolution:\n    pass\n\n7.4.4.1 다음은 풀링 계층 구현이다.\n"
                        "```\nclass Pooling:\n    pass\n```\n", IDS)
    assert set(sheet.answers) == {"7.4.3.2", "7.4.4.1"}
    assert "class Pooling" in question_code(sheet, "7.4.4.1").source
    assert any("줄 6의 문항 번호 앞에서 닫았다고" in n for n in sheet.notes)


def test_empty_file_is_a_note():
    for text in ("", "   \n\n\t\n"):
        sheet = parse_sheet(text, IDS)
        assert sheet.answers == {} and sheet.format == "empty"
        assert sheet.notes == ["빈 파일입니다: 답안이 없습니다."]


def test_binary_file_renamed_md_is_not_read():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    sheet = read_sheet(png, IDS, "answer.md")
    assert sheet.answers == {} and sheet.format == "binary"
    assert len(sheet.notes) == 1 and "이진 파일로 보입니다" in sheet.notes[0]


def test_binary_without_nul_bytes_is_recognised_by_its_control_characters():
    sheet = parse_sheet("".join(chr(c) for c in range(1, 32)) * 20, IDS)
    assert sheet.format == "binary"


def test_cp949_sheet_is_decoded_with_a_note():
    data = "7.2.4 패딩, 스트라이드와 출력 크기\nOH = 6\n".encode("cp949")
    sheet = read_sheet(data, IDS, "답안.txt")
    assert "OH = 6" in sheet.answers["7.2.4"].text
    assert sheet.notes and "CP949" in sheet.notes[0] and sheet.notes[0].startswith("답안.txt")


def test_decode_text_reports_the_encoding_used():
    assert decode_text("한글".encode("utf-8")) == ("한글", None)
    assert decode_text(codecs.BOM_UTF8 + "한글".encode("utf-8")) == ("한글", None)
    assert decode_text("한글".encode("cp949")) == ("한글", "cp949")
    assert decode_text("7.2.4 한글".encode("utf-16")) == ("7.2.4 한글", "utf-16")
    text, encoding = decode_text(b"\xff\xfe\xff abc")
    assert encoding in ("utf-16", "latin-1") and isinstance(text, str)


def test_undecodable_bytes_fall_back_to_latin_1_with_a_note():
    sheet = read_sheet(b"7.2.4 \xff\xff\xff answer\n", IDS)
    assert "7.2.4" in sheet.answers
    assert "latin-1" in sheet.notes[0]


def test_windows_line_endings_and_a_bom_are_read():
    sheet = parse_sheet("\ufeff7.2.4 관계\r\nOH = 6\r\n", IDS)
    assert sheet.answers["7.2.4"].text == "7.2.4 관계\nOH = 6"


def test_code_that_is_not_python_is_reported_not_raised():
    sheet = parse_sheet("7.4.3.2\n```\n합성곱 계층은 im2col을 쓴다 (코드 아님)\n```\n", IDS)
    code = question_code(sheet, "7.4.3.2")
    assert not code.ok and code.source == ""
    assert any("빼고 채점합니다" in n for n in code.notes)
