"""Command line: `grade PATH`, `grade check PATH`, `grade kit DIR`, `grade checks`, `grade doctor`.

Thin on purpose: each command parses, calls one library function, and maps errors to exit codes
(0 success, 1 checks failed, 2 bad usage or bad input — a message, never a traceback).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .i18n import t
from .rubric import IN_KIT, _shown, default_path

KIT_COMMANDS = ("check", "doctor")  # what a student's kit can do: it has no reference, no class to grade
TA_COMMANDS = ("run", "kit", "checks", "review")


class BadInput(click.ClickException):
    """Bad input (a missing folder, a broken rubric): a clear message and exit code 2."""

    exit_code = 2


class DefaultGroup(click.Group):
    """`grade PATH …` runs the class grading; `grade check …`, `grade kit …` are subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args, name = _take_assignment(list(args))
        if not any(a in ("--help", "-h", "--version") for a in args[:1]):
            from .assignment import AssignmentError, select

            try:
                select(name)
            except AssignmentError as exc:
                raise BadInput(str(exc)) from None
        if IN_KIT and args and args[0] in TA_COMMANDS and args[0] not in self.commands:
            raise click.UsageError(t("cli.kit_only_check", command=args[0]), ctx)
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check" if IN_KIT else "run", *args]
        return super().parse_args(ctx, args)


def _take_assignment(args: list[str]) -> tuple[list[str], str | None]:
    """`--assignment NAME` (or `--assignment=NAME`) wherever it is given, taken out of the arguments."""
    name = None
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            out += args[i:]
            break
        if a == "--assignment" and i + 1 < len(args):
            name, i = args[i + 1], i + 2
            continue
        if a.startswith("--assignment="):
            name, i = a.split("=", 1)[1], i + 1
            continue
        out.append(a)
        i += 1
    return out, name


def _rubric(path: str | None):  # noqa: ANN202
    from .rubric import RubricError, load_rubric

    try:
        return load_rubric(path)
    except RubricError as exc:
        raise BadInput(str(exc)) from None


def _submissions(path: Path, single: bool | None):  # noqa: ANN202
    from .discover.submission import SubmissionError, find_submissions

    try:
        return find_submissions(path, single=single)
    except SubmissionError as exc:
        raise BadInput(str(exc)) from None


def _discover(path: Path, single: bool | None, out: Path, also_skip: tuple[Path, ...]):  # noqa: ANN202
    from .discover.submission import SubmissionError, discover

    try:
        return discover(path, single=single, out=out, also_skip=also_skip)
    except SubmissionError as exc:
        raise BadInput(str(exc)) from None


def _limits():  # noqa: ANN202
    from .sandbox.limits import Limits

    try:
        return Limits.from_env()
    except ValueError as exc:
        raise BadInput(str(exc)) from None


def _sandbox(mode: str):  # noqa: ANN202
    """Limits, launcher and the note saying which sandbox runs the student's code (light imports only)."""
    limits = _limits()
    try:
        from .sandbox.bubblewrap import launcher_for
    except ImportError:
        return limits, None, ""
    launcher, note = launcher_for(mode)
    return limits, launcher, note


def _options(mode: str):  # noqa: ANN202
    from .runner import Options

    limits, launcher, note = _sandbox(mode)
    return Options(mode=mode, limits=limits, launcher=launcher, sandbox_note=note)


def rubric_option(fn):  # noqa: ANN001, ANN201 - a click decorator
    """`--rubric FILE`: the run's rubric instead of the assignment's own (which may add questions)."""
    return click.option("--rubric", type=click.Path(path_type=Path), default=None,
                        help="Rubric TOML [default: the assignment's own rubric.toml].")(fn)


def lang_option(what: str):  # noqa: ANN201 - a click decorator
    """`--lang ko|en`: the language of `what`."""
    return click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True,
                        help=f"Language of {what}.")


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grade")
# Declared for --help; DefaultGroup.parse_args takes it out wherever it is given (before or after a command).
@click.option("--assignment", "assignment", metavar="NAME", default=None, expose_value=False,
              help="The assignment to grade, where several are installed [default: the only one; env GRADE_ASSIGNMENT].")
def main() -> None:
    """Grade an assignment of the course: a class of submissions, or a student's self-check.

    \b
    Examples:
      grade submissions/                 grade a class into reports/
      grade submissions/ --out out/ -j 2
      grade check my_folder/             a student's self-check
      grade doctor                       what this machine gives the grader (isolation, browser, versions)
    """


@main.command("run", hidden=True)
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Folder for results.json, grades.csv, index.html and the cards "
                   "[default: reports/, or reports/<id>/ for one submission].")
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=None,
              help="Submissions graded at once [default: the number of CPUs, at most 4].")
@rubric_option
@lang_option("the reports")
@click.option("--fresh", is_flag=True, help="Grade every submission again, ignoring saved results.")
@click.option("--one", is_flag=True, help="PATH is one submission, even if it looks like a class folder.")
@click.option("--train", is_flag=True,
              help="Also train each student's own network briefly and show its loss curve and filters (where the assignment has --train).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Grade on an existing Dask cluster (tcp://host:8786) whose workers have the grader installed.")
@click.option("--reviews", type=click.Path(path_type=Path), default=None,
              help="The TA's review file (student,question,points,comment) [default: OUT/reviews.csv].")
def run(path: Path, out: Path | None, workers: int | None, rubric: Path | None, lang: str, fresh: bool, one: bool,
        train: bool, scheduler: str | None, reviews: Path | None) -> None:
    """Grade PATH: a class folder (one entry per student, archives included) or one submission.

    \b
    Example:
      grade submissions/ --out reports/
    """
    from .classjob import ClassJobError, run_class
    from .classrun import Interrupted
    from .reviews import counts
    from .i18n import use_lang

    ctx = click.get_current_context()
    ctx.with_resource(use_lang(lang))  # messages, BadInput's included, in --lang
    _limits()  # every input mistake is found before anything is graded: here, and in run_class
    rub = _rubric(rubric)
    options = dataclasses.replace(_options("grade"), train=train, lang=lang)
    started = time.monotonic()
    bar: _Bar | None = None

    def starting(found) -> None:  # noqa: ANN001 - discover.Found
        nonlocal bar
        click.echo(t("cli.isolation", note=options.sandbox_note), err=True)  # the first line: what protects the machine
        for entry, _why in found.skipped:
            click.echo(t("cli.skipped_output", path=entry), err=True)
        bar = _progress(len(found.submissions))

    def progress(*args) -> None:  # noqa: ANN002
        if bar is not None:
            bar(*args)

    try:
        with _terminated_as_interrupt() as stopped:
            job = run_class(path, rub, options, out=out, reviews=reviews, one=one,
                            workers=workers or max(1, min(4, os.cpu_count() or 1)), fresh=fresh,
                            scheduler=scheduler, progress=progress, starting=starting)
    except ClassJobError as exc:
        raise BadInput(str(exc)) from None
    except Interrupted as exc:
        if bar is not None:
            bar.close()
        click.echo(t("cli.interrupted", saved=exc.saved, total=exc.total, out=out or Path("reports")), err=True)
        raise SystemExit(143 if stopped else 130) from None
    except (ImportError, OSError, TimeoutError) as exc:
        if not scheduler:
            raise
        raise BadInput(t("cli.dask_unreachable", address=scheduler, error=exc)) from None
    if bar is not None:
        bar.close()
    if job.summary.from_file:
        click.echo(t("cli.reviews_applied", n=job.summary.from_file, file=job.review_file), err=True)
    _review_summary(job.summary, counts(job.result))
    students = job.result.students
    graded = sum(s.status == "graded" for s in students)
    for s in students:
        if s.status != "graded":
            click.echo(t("cli.not_gradable", sid=s.id, reason=s.reason), err=True)
    click.echo(t("cli.done", n=len(students), graded=graded, failed=len(students) - graded,
                 seconds=time.monotonic() - started, index=job.out / "index.html"), err=True)


class _Stopped:
    def __init__(self) -> None:
        self.by_sigterm = False

    def __bool__(self) -> bool:
        return self.by_sigterm


@contextlib.contextmanager
def _terminated_as_interrupt():  # noqa: ANN202
    """SIGTERM ends the run as Ctrl-C does: the grading processes stopped, what is saved said."""
    import signal

    stopped = _Stopped()

    def on_term(signum: int, frame: object) -> None:
        stopped.by_sigterm = True
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread (a test's runner): SIGTERM keeps its meaning
        yield stopped
        return
    try:
        yield stopped
    finally:
        signal.signal(signal.SIGTERM, previous)


def _review_summary(summary, numbers: dict) -> None:  # noqa: ANN001
    """The gradebook's decisions applied, answers changed since their review, and what still waits (reviews.counts)."""
    if summary.from_gradebook:
        click.echo(t("review.cli.gradebook_applied", n=summary.from_gradebook), err=True)
    for student, question in summary.changed:
        click.echo(t("review.cli.changed", student=student, question=question), err=True)
    if numbers["waiting"]:
        c = numbers["all"]
        click.echo(t("review.cli.waiting", n=numbers["waiting"], review=c["review"], proposed=c["proposed"],
                     changed=c["changed"]), err=True)


class _Bar:
    """A progress line with an estimate of the time left (one line per student when not a terminal)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.start = time.monotonic()
        self.first = 0  # students reused before the clock started: not in the estimate
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int, sid: str, seconds: float, reused: bool) -> None:
        if reused and not sid:  # every saved result reused, told once
            click.echo(t("cli.reused_summary", n=done, todo=total - done), err=True)
            self.start = time.monotonic()
            self.first = done
            return
        elapsed = time.monotonic() - self.start
        left = elapsed / max(done - self.first, 1) * (total - done) if done > self.first else 0
        width = 28
        filled = int(width * done / max(total, 1))
        state = t("cli.reused") if reused else f"{seconds:.1f}s"
        line = t("cli.progress", bar=f"[{'#' * filled}{'.' * (width - filled)}]", done=done, total=total, left=left,
                 sid=sid, state=state)
        if self.tty:
            click.echo("\r" + line[:110].ljust(110), nl=False, err=True)
        else:
            click.echo(line, err=True)

    def close(self) -> None:
        if self.tty:
            click.echo("", err=True)


def _progress(total: int) -> _Bar:
    return _Bar(total)


@main.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@rubric_option
@click.option("--verbose", "-v", is_flag=True, help="Also show the written and drawing questions.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON instead of text.")
@click.option("--html", "html", type=click.Path(path_type=Path), default=None,
              help="Also write the report card as an HTML file (printable to PDF).")
@lang_option("the messages and of the HTML card")
def check(path: Path, rubric: Path | None, verbose: bool, as_json: bool, html: Path | None, lang: str) -> None:
    """Self-check one submission: exit 0 only when every check passes.

    \b
    Example:
      grade check my_folder/
    """
    import json

    from .i18n import use_lang
    from .sandbox.client import Workspace

    click.get_current_context().with_resource(use_lang(lang))  # messages and the terminal output in --lang
    rub = _rubric(rubric)
    if html is not None:
        _check_html(html)
    _one_student(path)
    subs = _submissions(path, True)
    # The worker starts first and imports numpy on the other core while this process imports the checks.
    limits, launcher, note = _sandbox("check")
    workspace = Workspace(subs[0].path, "check", limits, launcher)
    try:
        from .model import to_dict
        from .report.terminal import check_passed, render_check
        from .runner import Options, grade_submission
    except BaseException:
        workspace.close()
        raise
    options = Options(mode="check", limits=limits, launcher=launcher, sandbox_note=note, lang=lang)
    result = grade_submission(subs[0], rub, options, workspace=workspace)
    if html is not None:
        from .report.files import write_atomic
        from .report.html import render_card

        write_atomic(html, render_card(result, lang=lang, max_points=rub.max_points))
    if as_json:
        click.echo(json.dumps(to_dict(result), ensure_ascii=False, indent=1))
    else:
        click.echo(render_check(result, verbose=verbose))
    sys.exit(0 if check_passed(result) else 1)


def _one_student(path: Path) -> None:
    """`grade check` checks one student's work: a class folder is refused with the command to use."""
    from .discover.submission import several_students

    others = several_students(path)
    if others:
        raise BadInput(t("cli.check_several", path=path, n=len(others), first=path / others[0]))


def _check_html(html: Path) -> None:
    """`--html FILE` names a file that can be written (not a folder), before anything is graded."""
    if html.is_dir():
        raise BadInput(t("cli.html_is_folder", path=html))
    parent = html.parent if str(html.parent) else Path(".")
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise BadInput(t("cli.html_not_writable", path=html, folder=parent))


@main.command("doctor")
@lang_option("the report")
def doctor(lang: str) -> None:
    """Say what this machine gives the grader: isolation, browser, versions, limits. Run it first when
    something looks wrong (exit 1 when a limit or the rubric would stop a run).

    \b
    Example:
      grade doctor
    """
    from .doctor import report
    from .i18n import use_lang

    click.get_current_context().with_resource(use_lang(lang))
    lines, ok = report()
    for line in lines:
        click.echo(line)
    sys.exit(0 if ok else 1)


@main.command("kit")
@click.argument("dest", type=click.Path(path_type=Path))
@rubric_option
def kit(dest: Path, rubric: Path | None) -> None:
    """Write the student kit into DEST: `pip install DEST` gives `grade check`, without the solution.

    \b
    Example:
      grade kit dist/kit && pip install dist/kit
    """
    from .kit import KitError, build_kit

    rub = _rubric(rubric)  # validated first
    if rub.public:
        raise BadInput(t("kit.public_rubric", path=rub.path, full=_shown(default_path())))
    try:
        build_kit(dest, rub)
    except KitError as exc:
        raise BadInput(str(exc)) from None
    click.echo(t("cli.kit_made", dest=dest))


def _review_available() -> bool:
    """The review app ships with the TA's grader, not with the student kit (which has no grader/review)."""
    return (Path(__file__).resolve().parent / "review" / "app.py").is_file()


if _review_available():
    @main.command("review")
    @click.argument("out", type=click.Path(path_type=Path), default=Path("reports"), required=False)
    @click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port to listen on [default: a free one].")
    @click.option("--host", default="127.0.0.1", show_default=True,
                  help="Address to listen on. Anything but 127.0.0.1 makes the app reachable from other machines.")
    @click.option("--no-browser", is_flag=True, help="Print the address but do not open a browser.")
    @click.option("--reviewer", default=None, help="Name recorded with each decision [default: the OS user].")
    @lang_option("the pages and the rewritten reports")
    @rubric_option
    @click.option("--reviews", type=click.Path(path_type=Path), default=None,
                  help="The review file the run applies [default: OUT/reviews.csv].")
    @click.option("--export", "export", type=click.Path(path_type=Path), default=None,
                  help="Write the gradebook's current decisions to FILE (CSV) and exit.")
    @click.option("--import", "import_", type=click.Path(path_type=Path), default=None,
                  help="Add the decisions of a review file (CSV) to the gradebook and exit.")
    @click.option("--accept", "accept", multiple=True, metavar="QUESTION",
                  help="Confirm every proposal of QUESTION (not the answers to review) and exit.")
    def review(out: Path, port: int, host: str, no_browser: bool, reviewer: str | None, lang: str,
               rubric: Path | None, reviews: Path | None, export: Path | None, import_: Path | None,
               accept: tuple[str, ...]) -> None:
        """Review the written and drawn answers of OUT in a browser; decisions go to OUT/gradebook.sqlite.

        \b
        Examples:
          grade review reports/                       open the review app
          grade review reports/ --accept 8.3.2        confirm 8.3.2's proposals
          grade review reports/ --export decided.csv
        """
        from .i18n import use_lang
        from .review.commands import ReviewCommandError, run_review

        click.get_current_context().with_resource(use_lang(lang))
        try:
            run_review(out, rub=_rubric(rubric), port=port, host=host, open_browser=not no_browser,
                       reviewer=reviewer, lang=lang, review_file=reviews, export=export, import_=import_,
                       accept=accept)
        except ReviewCommandError as exc:
            raise BadInput(str(exc)) from None


@main.command("checks")
def list_checks() -> None:
    """List every check the rubric may name, with what it verifies."""
    from .checks import registry

    for cid, spec in sorted(registry().items()):
        click.echo(f"{cid:28} {spec.doc.splitlines()[0] if spec.doc else ''}")


if IN_KIT:  # a student's kit lists, and runs, only what it can do
    for _name in [n for n in main.commands if n not in KIT_COMMANDS]:
        main.commands.pop(_name)
    main.help = t("cli.kit_help")


if __name__ == "__main__":  # pragma: no cover
    main()
