"""Build the seed answer sheet as a student hands it in: a Word file and a PDF printed by Chromium.

    python scripts/build_seed_documents.py            # writes submissions/seed_047ccd1e_docx.docx and _pdf.pdf
    python scripts/build_seed_documents.py --out DIR  # elsewhere

The text is `submissions/seed_047ccd1e.txt`, unchanged: its paragraphs become paragraphs (the lines
of one paragraph joined by line breaks), each fenced block a one-cell table in a fixed-width face
(the Word file) or a bordered box in 나눔고딕코딩 (the PDF), the tab-separated grids of 7.2.2.1
tables, and each place where the original had a picture gets one: the student's drawings of 7.2.6.1,
7.4.2.2 and 8.2.4, and the assignment's own figures of 7.6.1 and 7.6.2. The PDF is printed from HTML
by Chromium (Playwright's `page.pdf`, /usr/bin/chromium) with the Nanum fonts, with a running header
and page numbers that the reader must drop. Needs python-docx, Pillow (the grader's dependencies)
and Playwright (the test extra).
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "submissions" / "seed_047ccd1e.txt"
FONTS = Path("/usr/share/fonts/truetype/nanum")
# A picture goes after the paragraph that starts with this text (the question, or the section title).
PICTURES = {
    "7.2.6.1 ": ("drawing", "합성곱 연산의 흐름"),
    "7.4.2.2 ": ("im2col", "필터 처리 과정"),
    "8.2.4 ResNet의": ("resnet", "Residual block"),
    "7.6.1 1번째": ("figure", "학습 전·후 필터 (과제의 그림)"),
    "7.6.2 층 깊이": ("figure", "층 깊이에 따른 추출 정보 (과제의 그림)"),
}


@dataclass
class Part:
    kind: str  # text | code | grid | picture
    lines: list[str] = field(default_factory=list)
    picture: bytes = b""


def parts_of(text: str) -> list[Part]:
    """The seed's paragraphs, fenced blocks, grids and picture places, in order."""
    lines = text.split("\n")
    parts: list[Part] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        if line.strip().startswith("```"):
            end = next(j for j in range(k + 1, len(lines)) if lines[j].strip().startswith("```"))
            parts.append(Part("code", lines[k + 1:end]))
            k = end + 1
        elif "\t" in line:
            end = k
            while end < len(lines) and "\t" in lines[end]:
                end += 1
            parts.append(Part("grid", lines[k:end]))
            k = end
        elif not line.strip():
            k += 1
        else:
            end = k
            while end < len(lines) and lines[end].strip() and "\t" not in lines[end] \
                    and not lines[end].strip().startswith("```"):
                end += 1
            parts.append(Part("text", lines[k:end]))
            for start, (what, label) in PICTURES.items():
                if lines[k].startswith(start):
                    parts.append(Part("picture", [label], draw(what, label)))
            k = end
    return parts


def draw(what: str, label: str) -> bytes:
    """A small diagram as a PNG (the student's drawing, or the assignment's figure)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONTS / "NanumGothic.ttf"), 18)
    im = Image.new("RGB", (640, 220), "white")
    d = ImageDraw.Draw(im)
    if what == "drawing":
        boxes = [("입력 데이터", 20, 4), ("필터", 210, 3), ("편향", 360, 1), ("출력 데이터", 470, 2)]
        for name, x, n in boxes:
            size = 22 * n
            for i in range(n):
                for j in range(n):
                    d.rectangle([x + 22 * j, 60 + 22 * i, x + 22 * (j + 1), 60 + 22 * (i + 1)], outline="black")
            d.text((x, 60 + size + 10), name, fill="black", font=font)
        for x, sign in ((150, "*"), (320, "+"), (430, "=")):
            d.text((x, 90), sign, fill="black", font=font)
    elif what == "im2col":
        d.rectangle([20, 40, 140, 160], outline="black")
        d.rectangle([20, 40, 80, 100], outline="red", width=3)
        d.text((170, 90), "-- im2col -->", fill="black", font=font)
        for r in range(4):
            d.rectangle([330, 40 + 28 * r, 610, 64 + 28 * r], outline="black")
        d.text((330, 170), "필터 적용 영역 = 한 행", fill="black", font=font)
    elif what == "resnet":
        d.rectangle([200, 30, 440, 70], outline="black")
        d.text((270, 40), "weight layer", fill="black", font=font)
        d.rectangle([200, 110, 440, 150], outline="black")
        d.text((270, 120), "weight layer", fill="black", font=font)
        d.line([180, 10, 180, 190], fill="black", width=2)
        d.text((20, 90), "x (identity)", fill="black", font=font)
        d.text((300, 180), "F(x) + x", fill="black", font=font)
    else:
        for i in range(12):
            shade = 40 + 15 * i
            d.rectangle([20 + 50 * i, 50, 60 + 50 * i, 90], fill=(shade, shade, shade))
    d.text((20, 10), label, fill="black", font=font)
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


def build_docx(parts: list[Part], path: Path) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    for part in parts:
        if part.kind == "text":
            p = document.add_paragraph()
            p.add_run("\n".join(part.lines))
        elif part.kind == "picture":
            document.add_paragraph().add_run().add_picture(io.BytesIO(part.picture), width=Mm(120))
        elif part.kind == "grid":
            rows = [line.split("\t") for line in part.lines]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
        else:  # code: a one-cell table, one paragraph per line, in Consolas (나눔고딕코딩 for Hangul)
            table = document.add_table(rows=1, cols=1)
            table.style = "Table Grid"
            cell = table.cell(0, 0)
            for k, line in enumerate(part.lines or [""]):
                p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                run = p.add_run(line)
                run.font.name = "Consolas"
                run.font.size = Pt(9)
                run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "나눔고딕코딩")
    document.save(str(path))


_CSS = """
@page { size: A4; }
body { font-family: 'NanumGothic'; font-size: 10pt; line-height: 1.45; }
p { margin: 0 0 0.7em 0; white-space: pre-wrap; word-break: keep-all; }
pre { font-family: 'NanumGothicCoding'; font-size: 7.5pt; line-height: 1.35; border: 1px solid #777;
      padding: 5px 7px; margin: 0 0 0.8em 0; white-space: pre; }
table.grid { border-collapse: collapse; margin: 0 0 0.8em 0; }
table.grid td { border: 1px solid #444; padding: 1px 12px; }
img { width: 120mm; display: block; margin: 0 0 0.8em 0; }
"""


def build_html(parts: list[Part]) -> str:
    body = []
    for part in parts:
        if part.kind == "text":
            body.append("<p>" + "<br>".join(html.escape(line) for line in part.lines) + "</p>")
        elif part.kind == "code":
            body.append("<pre>\n" + html.escape("\n".join(part.lines)) + "\n</pre>")  # the first \n is HTML's own
        elif part.kind == "grid":
            rows = ("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line.split("\t")) + "</tr>"
                    for line in part.lines)
            body.append('<table class="grid">' + "".join(rows) + "</table>")
        else:
            data = base64.b64encode(part.picture).decode()
            body.append(f'<img alt="{html.escape(part.lines[0])}" src="data:image/png;base64,{data}">')
    return (f'<!doctype html><html lang="ko"><head><meta charset="utf-8"><style>{_CSS}</style></head><body>'
            + "\n".join(body) + "</body></html>")


def build_pdf(parts: list[Part], path: Path, chromium: str = "/usr/bin/chromium") -> None:
    from playwright.sync_api import sync_playwright

    small = "font-family: NanumGothic; font-size: 7pt; width: 100%; text-align: center; color: #555;"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"], headless=True)
        page = browser.new_page()
        page.set_content(build_html(parts), wait_until="load")
        page.pdf(path=str(path), format="A4", display_header_footer=True, print_background=True,
                 header_template=f'<div style="{small}">Deep Learning Assignment #5 — 답안지</div>',
                 footer_template=f'<div style="{small}">- <span class="pageNumber"></span> -</div>',
                 margin={"top": "22mm", "bottom": "20mm", "left": "18mm", "right": "18mm"})
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Example: python scripts/build_seed_documents.py --out /tmp/seed")
    parser.add_argument("--out", type=Path, default=ROOT / "submissions", help="folder for the two files [submissions/]")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    parts = parts_of(SEED.read_text("utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"\.txt$", "", SEED.name)
    build_docx(parts, args.out / f"{stem}_docx.docx")
    build_pdf(parts, args.out / f"{stem}_pdf.pdf", args.chromium)
    print(f"wrote {args.out / (stem + '_docx.docx')} and {args.out / (stem + '_pdf.pdf')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
