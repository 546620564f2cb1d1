"""Which isolation runs the student's code here: bubblewrap, else the kernel's namespaces, else none.

The choice is made once per process (each way is tried once: `bubblewrap.flavor`, `namespaces.works`)
and said in words a TA understands — on every card (the result's note), at the start of a class
run's terminal output, and by `grade doctor`. Without either sandbox the note says what a student's
code could do and the command that installs bubblewrap.

`GRADER_SANDBOX` in the grader's environment forces a way: `plain` (no sandbox, to debug a worker),
`namespaces` (the kernel's namespaces even where bubblewrap exists), `bubblewrap`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from ..i18n import t
from . import bubblewrap, namespaces
from .launch import Launcher, plain_launcher

INSTALL = "sudo apt install bubblewrap"  # Debian, Ubuntu; `sudo dnf install bubblewrap` on Fedora
_PLAIN_WORDS = ("plain", "none", "off", "0")


@dataclass(frozen=True)
class Isolation:
    """How the workers run: `kind` for machines, `note` for people, `isolated` whether a sandbox is on."""

    kind: str  # "bubblewrap-drop" | "bubblewrap-userns" | "namespaces-root" | "namespaces-userns" | "plain-…"
    launcher: Launcher
    note: str
    isolated: bool


def choose(mode: str = "grade") -> Isolation:
    """The strongest isolation available (or the one `GRADER_SANDBOX` asks for).

    `mode` ("grade" or "check") does not change the choice: a student's own Linux machine gets the
    sandbox too.
    """
    wanted = os.environ.get("GRADER_SANDBOX", "").strip().lower()
    if wanted in _PLAIN_WORDS:
        return Isolation("plain-chosen", plain_launcher, t("note.sandbox_chosen"), False)
    if not sys.platform.startswith("linux"):
        return Isolation("plain-other-os", plain_launcher, t("note.sandbox_other_os"), False)
    if wanted not in ("namespaces", "unshare"):
        best = bubblewrap.flavor()
        if best is not None:
            return Isolation(f"bubblewrap-{best}", bubblewrap.bubblewrap_launcher, t(f"note.sandbox_{best}"), True)
    how = namespaces.flavor() if wanted not in ("bubblewrap", "bwrap") else None
    if how is not None:
        return Isolation(f"namespaces-{how}", namespaces.namespaces_launcher, t(f"note.sandbox_namespaces_{how}"),
                         True)
    return Isolation("plain-missing", plain_launcher, t("note.sandbox_plain", install=INSTALL), False)


def diagnose() -> list[tuple[str, bool, str]]:
    """Each way of isolating, whether it works here, and why not (for `grade doctor`)."""
    rows = []
    for name in ("drop", "userns"):
        ok = bubblewrap.works(name)
        rows.append((f"bubblewrap ({name})", ok, "" if ok else bubblewrap.why_not))
    for how in ("root", "userns"):
        ok = namespaces.works(how)
        rows.append((f"namespaces ({how})", ok, "" if ok else namespaces.why_not))
    return rows
