"""`grade doctor`: what this machine gives the grader, in one screen a TA can paste into a question.

The isolation each way would give (bubblewrap's two flavors, the kernel's namespaces) and the one a
run would use; Chromium and Playwright for the browser tests of the reports; the Python and the
versions of the packages the grader uses; the limits in effect (`GRADE_*`); the rubric; the
temporary folder and the run folders earlier crashes left there (swept now).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata

from . import __version__
from .i18n import t

PACKAGES = ("numpy", "hypothesis", "click", "jinja2", "markupsafe", "pygments", "nbformat", "python-docx", "pdfplumber",
            "pypdf", "pillow", "python-hwpx", "defusedxml", "dask", "distributed", "playwright")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def _browser() -> tuple[str, str]:
    """The first Chromium found and its version (`/usr/bin/chromium`, as the browser tests use)."""
    for name in BROWSERS:
        path = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if path:
            try:
                out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20)  # noqa: S603
                return path, (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else ""
            except (OSError, subprocess.SubprocessError):
                return path, ""
    return "", ""


def report() -> tuple[list[str], bool]:
    """The lines of the report, and whether nothing in it stops a class run."""
    from .sandbox import isolation, lifetime
    from .sandbox.limits import Limits, shown as _shown

    ok = True
    lines = [t("cli.doctor.title", version=__version__), ""]
    lines.append(t("cli.doctor.python", version=platform.python_version(), exe=sys.executable,
                   system=f"{platform.system()} {platform.release()} {platform.machine()}",
                   user=os.geteuid() if hasattr(os, "geteuid") else "?"))
    for package in PACKAGES:
        version = _version(package)
        lines.append(f"  {_mark(bool(version))} {package:13} {version or t('cli.doctor.missing')}")
    lines += ["", t("cli.doctor.isolation")]
    for name, works, why in isolation.diagnose():
        lines.append(f"  {_mark(works)} {name:22} {'' if works else why}")
    chosen = isolation.choose("grade")
    lines.append(t("cli.doctor.chosen", kind=chosen.kind, note=chosen.note))
    if not chosen.isolated:
        lines.append(t("cli.doctor.install", install=isolation.INSTALL))
    path, version = _browser()
    lines += ["", t("cli.doctor.browser")]
    lines.append(f"  {_mark(bool(path))} {path or t('cli.doctor.no_browser')} {version}".rstrip())
    lines += ["", t("cli.doctor.limits")]
    try:
        limits = Limits.from_env()
        for name in Limits.names():
            value = getattr(limits, name)
            changed = f"GRADE_{name.upper()}" in os.environ
            shown = _shown(value) if name.endswith("_bytes") else f"{value:g}"
            lines.append(f"  {'GRADE_' + name.upper():26} {shown}" + (f"  ({t('cli.doctor.from_env')})" if changed else ""))
    except ValueError as exc:
        ok = False
        lines.append(f"  ✗ {exc}")
    lines += ["", t("cli.doctor.assignments")]
    try:
        from .assignment import current, installed

        chosen = current()
        for name, where in sorted(installed().items()):
            mark = "→" if name == chosen.name else " "
            lines.append(f"  {mark} {name:8} {where}")
        lines.append("  " + t("cli.doctor.assignment", name=chosen.name, title=chosen.title,
                              reference=t("cli.doctor.reference_yes") if chosen.has_reference
                              else t("cli.doctor.reference_no")))
    except Exception as exc:  # noqa: BLE001 - several without a choice, a broken package: what doctor is for
        ok = False
        lines.append(f"  ✗ {exc}")
    lines += ["", t("cli.doctor.rubric")]
    try:
        from .rubric import load_rubric

        rubric = load_rubric(None)
        lines.append(f"  ✓ {rubric.path}: {len(rubric.questions)} / {rubric.max_points:g}")
    except Exception as exc:  # noqa: BLE001 - a broken rubric is what doctor is for
        ok = False
        lines.append(f"  ✗ {exc}")
    swept = lifetime.sweep()
    lines += ["", t("cli.doctor.temp", folder=tempfile.gettempdir(), n=len(swept))]
    return lines, ok
