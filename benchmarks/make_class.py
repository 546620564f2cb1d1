"""A large synthetic class for the scale runs: correct samples and typical mistakes, lightly varied.

    python benchmarks/make_class.py OUT_DIR --n 1000 --seed 0

writes OUT_DIR/<id>.py for N students (ids like `kim_minjun_0001`) and OUT_DIR/expected.json, which
maps each id to the sample of `submissions/` it derives from. Every generated file grades exactly
like its sample: the variation is harmless by construction — a header comment, comments and blank
lines between top-level definitions, and locals renamed inside methods (never parameters,
attributes, keyword arguments, module names, or any local of an `__init__`, whose locals the
grader reads). So the expected points of a generated class are those of the sample class.
"""

from __future__ import annotations

import argparse
import ast
import functools
import io
import json
import keyword
import random
import re
import symtable
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# sample id -> (path under the samples folder, what it shows). Weights: half correct, half mistakes.
CORRECT = {
    "kim_minji": "kim_minji",  # one module
    "park_seoyeon": "park_seoyeon.py",
    "oh_taeyang": "oh_taeyang",  # explicit loops: slow, right
}
MISTAKES = {
    "choi_woojin": "choi_woojin",  # output size without the stride (two files, merged here)
    "jung_haeun": "jung_haeun.py",  # average pooling
    "kang_doyoon": "kang_doyoon.py",  # transposed reshape
    "yoon_jiwoo": "yoon_jiwoo.py",  # weights without weight_init_std
    "han_sumin": "han_sumin.py",  # lower-case gradient keys
    "seo_yuna": "seo_yuna.py",  # forgotten layers.reverse()
}

SURNAMES = ["kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim", "han", "oh", "seo",
            "shin", "kwon", "hwang", "ahn", "song", "jeon", "hong", "moon", "yang", "ko", "bae", "baek"]
GIVEN = ["minjun", "seoyeon", "jiho", "haeun", "doyoon", "jiwoo", "sumin", "yuna", "seojun", "hayoon",
         "eunwoo", "jiyu", "siwoo", "chaewon", "junwoo", "soyul", "yejun", "dahyun", "hyunwoo", "subin",
         "jimin", "yerin", "taeyang", "minseo", "woojin", "jiah", "gunwoo", "seoa", "juwon", "eunseo"]
COMMENTS = ["# ---------------------------------------------------------------", "# 7장 합성곱 신경망",
            "# 책의 코드를 참고해서 작성", "# TODO: 나중에 정리하기", "# 확인 완료", "# 아래는 계층 구현",
            "# (수업 시간에 설명한 내용)", "# 형상 주의!", "# 참고: 밑바닥부터 시작하는 딥러닝 7장",
            "# 2차원으로 펼쳐서 계산", "# numpy만 사용"]
UNSAFE_CALLS = {"locals", "vars", "eval", "exec", "globals", "getattr", "setattr", "hasattr", "__import__"}


class SampleError(Exception):
    """A sample that cannot be turned into one module (a missing file, imports we cannot merge)."""


@dataclass(frozen=True)
class Sample:
    id: str
    source: str  # one module's source
    encoding: str = "utf-8"  # kept: a CP949 file is graded with a note, so its copies are CP949 too


def _read(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    for encoding in ("utf-8", "cp949"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SampleError(f"{path} is neither UTF-8 nor CP949")


# ── reading the samples ──────────────────────────────────────────────────────────────────────────

def read_sample(samples: Path, sid: str, rel: str) -> Sample:
    path = samples / rel
    if path.is_file():
        return Sample(sid, *_read(path))
    if not path.is_dir():
        raise SampleError(f"sample {sid!r}: {path} does not exist (give --samples, the sample class folder)")
    files = sorted(p for p in path.iterdir() if p.suffix == ".py")
    if len(files) == 1:
        return Sample(sid, *_read(files[0]))
    read = {p.stem: _read(p) for p in files}
    if len({enc for _, enc in read.values()}) > 1:
        raise SampleError(f"sample {sid!r}: its files are in different encodings")
    return Sample(sid, merge_modules(sid, {k: src for k, (src, _) in read.items()}), next(iter(read.values()))[1])


def merge_modules(sid: str, sources: dict[str, str]) -> str:
    """Sibling modules that star-import each other (`from layers import *`) → one module, dependencies first."""
    deps: dict[str, list[str]] = {}
    pattern = re.compile(r"^from\s+(\w+)\s+import\s+\*\s*(#.*)?$", re.M)
    for name, src in sources.items():
        deps[name] = [m.group(1) for m in pattern.finditer(src) if m.group(1) in sources]
        for node in ast.parse(src).body:
            imported = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if any(n.split(".")[0] in sources for n in imported):
                raise SampleError(f"sample {sid!r}: `import {imported[0]}` between its files cannot be merged")
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in order:
            return
        if name in path:
            raise SampleError(f"sample {sid!r}: its files import each other in a circle ({' → '.join(path)})")
        for dep in deps[name]:
            visit(dep, (*path, name))
        order.append(name)

    for name in sorted(sources):
        visit(name, ())
    parts = []
    for name in order:
        src = pattern.sub(lambda m: f"# (merged) {m.group(0)}" if m.group(1) in sources else m.group(0), sources[name])
        parts.append(f"# ── {name}.py ──\n{src.rstrip()}\n")
    return "\n\n".join(parts)


# ── harmless variation ───────────────────────────────────────────────────────────────────────────

def _functions(tree: ast.Module) -> list[tuple[ast.FunctionDef, str]]:
    """Every function and method with its qualified name, outer ones first."""
    found: list[tuple[ast.FunctionDef, str]] = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((child, prefix + child.name))  # type: ignore[arg-type]
                walk(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                walk(child, prefix + child.name + ".")
            else:
                walk(child, prefix)

    walk(tree, "")
    return found


def _symtables(table: symtable.SymbolTable, prefix: str = "") -> dict[tuple[str, int], symtable.SymbolTable]:
    out = {}
    for child in table.get_children():
        out[(prefix + child.get_name(), child.get_lineno())] = child
        out.update(_symtables(child, prefix + child.get_name() + "."))
    return out


def renamable_locals(source: str) -> dict[tuple[int, int], list[str]]:
    """Per function (its line span), the plain locals that may be renamed without changing behaviour."""
    tree = ast.parse(source)
    tables = _symtables(symtable.symtable(source, "<sample>", "exec"))
    out: dict[tuple[int, int], list[str]] = {}
    for fn, qual in _functions(tree):
        if fn.name == "__init__" or any(isinstance(n, (ast.FunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp,
                                                       ast.DictComp, ast.GeneratorExp)) and n is not fn
                                        for n in ast.walk(fn)):
            continue  # the grader reads __init__'s locals; nested scopes could capture a name
        calls = {n.func.id for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        if calls & UNSAFE_CALLS or any(isinstance(n, ast.JoinedStr) for n in ast.walk(fn)):
            continue
        table = tables.get((qual, fn.lineno)) or tables.get((qual, (fn.decorator_list[0].lineno if fn.decorator_list else fn.lineno)))
        if table is None:
            continue
        names = [s.get_name() for s in table.get_symbols()
                 if s.is_local() and s.is_assigned() and not s.is_parameter() and not s.is_global()
                 and not s.is_imported() and not s.is_nonlocal() and not s.get_name().startswith("__")]
        if names:
            out[(fn.lineno, fn.end_lineno or fn.lineno)] = sorted(names)
    return out


@functools.lru_cache(maxsize=32)
def _analyse(source: str) -> tuple[dict[tuple[int, int], list[str]], list[tokenize.TokenInfo], frozenset[str]]:
    """Per sample, once: renamable locals per function, the tokens, and every name in use."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    return renamable_locals(source), tokens, frozenset(t.string for t in tokens if t.type == tokenize.NAME)


def rename_locals(source: str, rng: random.Random, functions: int) -> str:
    """Rename some locals in `functions` randomly chosen functions (tokens only: comments stay)."""
    spans, tokens, names = _analyse(source)
    if not spans:
        return source
    chosen = rng.sample(sorted(spans), min(functions, len(spans)))
    taken = set(names)
    edits: dict[tuple[int, int], str] = {}  # (row, col) of a NAME token -> new text
    for start, end in chosen:
        mapping = {}
        for name in rng.sample(spans[(start, end)], min(3, len(spans[(start, end)]))):
            for suffix in ("_", "_v", "_tmp", "2", "_val"):
                new = name + suffix
                if new not in taken and not keyword.iskeyword(new):
                    mapping[name] = new
                    taken.add(new)
                    break
        depth = 0
        for i, tok in enumerate(tokens):
            if tok.type == tokenize.OP and tok.string in "([{":
                depth += 1
            elif tok.type == tokenize.OP and tok.string in ")]}":
                depth -= 1
            if tok.type != tokenize.NAME or tok.string not in mapping or not start <= tok.start[0] <= end:
                continue
            prev = tokens[i - 1] if i else None
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if prev is not None and prev.string == ".":
                continue  # an attribute
            if depth > 0 and nxt is not None and nxt.string == "=":
                continue  # a keyword argument
            edits[tok.start] = mapping[tok.string]
    lines = source.splitlines(keepends=True)
    for (row, col), new in sorted(edits.items(), reverse=True):
        line = lines[row - 1]
        old = re.match(r"\w+", line[col:]).group(0)  # type: ignore[union-attr]
        lines[row - 1] = line[:col] + new + line[col + len(old):]
    return "".join(lines)


def add_comments(source: str, rng: random.Random, count: int) -> str:
    """Comments and blank lines before some top-level definitions (never inside a statement or string)."""
    tree = ast.parse(source)
    starts = [min([n.lineno] + [d.lineno for d in getattr(n, "decorator_list", [])]) for n in tree.body
              if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    if not starts:
        return source
    lines = source.splitlines(keepends=True)
    for row in sorted(rng.sample(starts, min(count, len(starts))), reverse=True):
        extra = rng.choice(COMMENTS) + "\n" + "\n" * rng.randint(0, 1)
        lines.insert(row - 1, extra)
    return "".join(lines)


def vary(sample: Sample, sid: str, number: int, rng: random.Random) -> str:
    source = rename_locals(sample.source, rng, functions=rng.randint(0, 3))
    source = add_comments(source, rng, count=rng.randint(0, 4))
    lines = source.splitlines(keepends=True)
    keep = 0  # a shebang or coding line stays first
    while keep < min(2, len(lines)) and (lines[keep].startswith("#!") or re.match(r"#.*coding[:=]", lines[keep])):
        keep += 1
    header = f"# 딥러닝 과제 #5 - {sid} (학번 2024{number:06d})\n"
    if rng.random() < 0.5:
        header += "# 7장 CNN: im2col, Convolution, Pooling, SimpleConvNet\n"
    body = "".join(lines[keep:]).rstrip("\n") + "\n" * rng.randint(1, 3)
    out = "".join(lines[:keep]) + header + body
    compile(out, sid, "exec")  # a variation that does not compile is a bug of this generator
    return out


# ── the class ────────────────────────────────────────────────────────────────────────────────────

def student_ids(n: int, rng: random.Random) -> list[str]:
    width = max(4, len(str(n)))
    return [f"{rng.choice(SURNAMES)}_{rng.choice(GIVEN)}_{i:0{width}d}" for i in range(1, n + 1)]


def assign_samples(n: int, rng: random.Random, correct_share: float) -> list[str]:
    """Which sample each student derives from: `correct_share` of them correct, the rest mistakes, shuffled."""
    n_correct = round(n * correct_share)
    pool = [list(CORRECT)[i % len(CORRECT)] for i in range(n_correct)]
    pool += [list(MISTAKES)[i % len(MISTAKES)] for i in range(n - n_correct)]
    rng.shuffle(pool)
    return pool


def make_class(out: Path, n: int, *, seed: int = 0, samples: Path = REPO / "submissions",
               correct_share: float = 0.5) -> dict[str, str]:
    """Write N submissions and expected.json into `out`; returns {student id: sample id}."""
    if n < 1:
        raise ValueError(f"n={n} must be at least 1")
    if not 0.0 <= correct_share <= 1.0:
        raise ValueError(f"correct_share={correct_share} must be between 0 and 1")
    rng = random.Random(seed)
    loaded = {sid: read_sample(samples, sid, rel) for sid, rel in {**CORRECT, **MISTAKES}.items()}
    out.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}
    for number, (sid, sample_id) in enumerate(zip(student_ids(n, rng), assign_samples(n, rng, correct_share)), 1):
        sample = loaded[sample_id]
        (out / f"{sid}.py").write_bytes(vary(sample, sid, number, rng).encode(sample.encoding))
        expected[sid] = sample_id
    (out / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Example: python benchmarks/make_class.py /tmp/class1000 --n 1000 --seed 0")
    parser.add_argument("out", type=Path, help="folder to write the class into (created; existing files are overwritten)")
    parser.add_argument("--n", type=int, default=1000, help="number of submissions [1000]")
    parser.add_argument("--seed", type=int, default=0, help="random seed: the same seed gives the same class [0]")
    parser.add_argument("--samples", type=Path, default=REPO / "submissions", help="the sample class [submissions/]")
    parser.add_argument("--correct-share", type=float, default=0.5, help="share of correct submissions [0.5]")
    args = parser.parse_args(argv)
    try:
        expected = make_class(args.out, args.n, seed=args.seed, samples=args.samples, correct_share=args.correct_share)
    except (SampleError, ValueError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    counts: dict[str, int] = {}
    for sample_id in expected.values():
        counts[sample_id] = counts.get(sample_id, 0) + 1
    print(f"{len(expected)} submissions in {args.out} ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}); "
          f"expected.json maps each id to its sample")
    return 0


if __name__ == "__main__":
    sys.exit(main())
