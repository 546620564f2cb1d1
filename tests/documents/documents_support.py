"""Documents of the tests, made by the libraries that write them: python-docx, python-hwpx, Pillow, Chromium.

Each builder returns the file's bytes. The answers are short and real (a Pooling class, a written
answer, a drawing), so a document can also be graded through the CLI beside the sample class.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "submissions"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

POOLING = """class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad

    def forward(self, x):
        N, C, H, W = x.shape
        out_h = int(1 + (H - self.pool_h) / self.stride)
        out_w = int(1 + (W - self.pool_w) / self.stride)

        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
        col = col.reshape(-1, self.pool_h * self.pool_w)
        out = np.max(col, axis=1)
        out = out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)
        return out"""
SHAPE_ANSWER = "높이 50, 너비 50, 채널 2개인 데이터가 105개라는 뜻이다."


def png(width: int = 120, height: int = 80, colour: str = "navy", mode: str = "RGB") -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new(mode, (width, height), colour if mode == "RGB" else 0)
    if mode == "RGB" and width >= 20 and height >= 20:
        ImageDraw.Draw(im).rectangle([5, 5, width - 6, height - 6], outline="white", width=3)
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


def _mono(run) -> None:  # noqa: ANN001 - a python-docx run
    from docx.oxml.ns import qn

    run.font.name = "Consolas"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "D2Coding")


def docx_sheet(*, code_as: str = "paragraphs", styled: bool = True, drawing: bytes | None = None,
               numbers: bool = True) -> bytes:
    """A Word sheet: 7.4.1.1 (a heading, its answer), 7.2.6.1 (a drawing), 7.4.4.1 (Pooling as code).

    `code_as`: "paragraphs" (monospace paragraphs, one per line), "box" (a one-cell table in Consolas),
    "plain_box" (a one-cell table in the body font), "picture" (a screenshot only). `styled`: the
    question lines are Word headings ("Heading 2"), else plain paragraphs. A numbered list (Word's
    own numbering, "1." "2.") answers 7.4.1.1 too.
    """
    import docx
    from docx.shared import Mm

    document = docx.Document()
    document.add_heading("Deep Learning Assignment #5", level=1)

    def question(text: str) -> None:
        if not numbers:
            text = text.split(" ", 1)[1]
        if styled:
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)

    question("7.4.1.1 데이터의 형상이 (105, 2, 50, 50)이라면 이는 무슨 뜻인가?")
    document.add_paragraph(SHAPE_ANSWER)
    document.add_paragraph("데이터 수", style="List Number")
    document.add_paragraph("채널, 높이, 너비", style="List Number")
    question("7.2.6.1 입력 데이터 * 필터 + 편향 = 출력 데이터의 흐름을 하나의 그림으로 나타내시오.")
    document.add_paragraph().add_run().add_picture(io.BytesIO(drawing or png()), width=Mm(40))
    question("7.4.4.1 다음은 풀링 계층 구현의 forward 처리 흐름이다. 이를 파이썬으로 구현하시오.")
    if code_as == "paragraphs":
        for line in POOLING.split("\n"):
            _mono(document.add_paragraph().add_run(line))
    elif code_as in ("box", "plain_box"):
        cell = document.add_table(rows=1, cols=1).cell(0, 0)
        for k, line in enumerate(POOLING.split("\n")):
            run = (cell.paragraphs[0] if k == 0 else cell.add_paragraph()).add_run(line)
            if code_as == "box":
                _mono(run)
    elif code_as == "picture":
        document.add_paragraph().add_run().add_picture(io.BytesIO(png(300, 200, "black")), width=Mm(60))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def hwpx_sheet(*, binary: bool = False, drawing: bytes | None = None) -> bytes:
    """The same sheet in Hangul, made by python-hwpx (`binary`: saved as HWP 5.0)."""
    from hwpx import HwpxDocument

    doc = HwpxDocument.new()
    doc.paragraphs[0].text = "Deep Learning Assignment #5"
    doc.add_paragraph("7.4.1.1 데이터의 형상이 (105, 2, 50, 50)이라면 이는 무슨 뜻인가?")
    doc.add_paragraph(SHAPE_ANSWER)
    doc.add_paragraph("7.2.6.1 입력 데이터 * 필터 + 편향 = 출력 데이터의 흐름을 하나의 그림으로 나타내시오.")
    doc.add_picture(drawing or png(), "png", width_mm=40, height_mm=27)
    doc.add_paragraph("7.4.4.1 다음은 풀링 계층 구현의 forward 처리 흐름이다. 이를 파이썬으로 구현하시오.")
    mono = doc.styles.ensure_run(font="D2Coding")
    for line in POOLING.split("\n"):
        doc.add_paragraph(line, char_pr_id_ref=mono)
    doc.add_paragraph("7.2.2.1 입력 데이터와 필터", char_pr_id_ref="0")  # not the code's face, which it would inherit
    grid = doc.add_table(2, 3)
    for i, row in enumerate((("3", "3", "2"), ("0", "5", "1"))):
        for j, value in enumerate(row):
            grid.set_cell_text(i, j, value)
    return doc.to_bytes(format="hwp") if binary else doc.to_bytes()


def pdf_from_html(body: str, path: Path, *, header: str = "과제 #5 답안지") -> bytes:
    """A PDF printed by Chromium from `body` (Nanum fonts, a running header, page numbers)."""
    from playwright.sync_api import sync_playwright

    css = ("body{font-family:NanumGothic;font-size:10pt} p{margin:0 0 .6em 0;word-break:keep-all}"
           "pre{font-family:NanumGothicCoding;font-size:8pt;border:1px solid #777;padding:4px 6px;white-space:pre}"
           "table{border-collapse:collapse} td{border:1px solid #444;padding:1px 12px}")
    small = "font-family:NanumGothic;font-size:7pt;width:100%;text-align:center"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True)
        page = browser.new_page()
        page.set_content(f'<html lang="ko"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}'
                         "</body></html>", wait_until="load")
        page.pdf(path=str(path), format="A4", display_header_footer=True,
                 header_template=f'<div style="{small}">{header}</div>',
                 footer_template=f'<div style="{small}"><span class="pageNumber"></span></div>',
                 margin={"top": "20mm", "bottom": "20mm", "left": "18mm", "right": "18mm"})
        browser.close()
    return path.read_bytes()


def zip_bomb(kind: str = "docx", size: int = 300 << 20) -> bytes:
    """A zip that looks like a Word (or HWPX) file and inflates to `size` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        if kind == "docx":
            zf.writestr("[Content_Types].xml", "<Types/>")
            name = "word/document.xml"
        else:
            zf.writestr(zipfile.ZipInfo("mimetype"), "application/hwp+zip")
            name = "Contents/section0.xml"
        with zf.open(name, "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                f.write(block)
    return out.getvalue()
