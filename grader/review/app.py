"""The review app: pages for grading by question or by student, and the JSON API their script uses.

Security, in the order a request meets it (`Guard`): the Host header must name this server
(a page of another site cannot reach it through DNS rebinding); the token must come with the
request, as `Authorization: Bearer TOKEN` or as the cookie the first page (`/?token=TOKEN`) sets;
a write carried by the cookie must also carry the CSRF token the page holds (`X-CSRF-Token`; a
request with the Authorization header needs none: no other site can make a browser send it).
Pages are rendered with autoescape and a Content-Security-Policy that allows only this server's
own script; the script writes student text with `textContent`, never as markup. Bad input is a
400 with `{"error": …}`; anything unexpected a 500 with a message, never a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import mimetypes
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..i18n import t
from ..report.html import TEMPLATES, _env, card_names
from ..reviews import state_of
from .state import FILTERS, BadRequest, ReviewState
from .view import entry_view

HERE = Path(__file__).resolve().parent
COOKIE = "grade_review"
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg"}
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def csrf_for(token: str) -> str:
    return hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()[:32]


class Guard:
    """Host check, token (header or cookie), CSRF on writes, and safe headers on every response."""

    def __init__(self, app: ASGIApp, *, token: str, hosts: set[str]) -> None:
        self.app, self.token, self.hosts, self.csrf = app, token, hosts, csrf_for(token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refuse(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return

        async def secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                names = {k.lower() for k, _ in headers}
                for k, v in ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                             (b"cache-control", b"no-store"), (b"x-frame-options", b"DENY")):
                    if k not in names:
                        headers.append((k, v))
            await send(message)

        await self.app(scope, receive, secured)

    def _refuse(self, request: Request) -> Response | None:
        if request.headers.get("host", "") not in self.hosts:
            return JSONResponse({"error": t("review.app.bad_host")}, status_code=400)
        given = request.query_params.get("token")
        if request.url.path == "/" and given is not None and request.method == "GET":
            if not hmac.compare_digest(given, self.token):
                return _unauthorised(request)
            response = RedirectResponse("/", status_code=303)  # the token leaves the address bar and the history
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
            return response
        auth = request.headers.get("authorization", "")
        bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        cookie = request.cookies.get(COOKIE, "")
        if bearer:
            if not hmac.compare_digest(bearer, self.token):
                return _unauthorised(request)
            return None
        if not cookie or not hmac.compare_digest(cookie, self.token):
            return _unauthorised(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if not hmac.compare_digest(request.headers.get("x-csrf-token", ""), self.csrf):
                return JSONResponse({"error": t("review.app.csrf")}, status_code=403)
        return None


def _unauthorised(request: Request) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": t("review.app.unauthorised")}, status_code=401)
    return HTMLResponse(f"<!doctype html><meta charset='utf-8'><title>401</title><p>{Markup.escape(t('review.app.unauthorised'))}</p>",
                        status_code=401)


def make_app(state: ReviewState, *, token: str, hosts: set[str]) -> ASGIApp:
    """The app for `state`; `hosts` are the Host headers that name this server (host:port)."""
    env = _app_env(state.lang)
    csrf = csrf_for(token)

    def page(name: str, **values: Any) -> HTMLResponse:
        html = env.get_template(name).render(csrf=csrf, nav=None, footer=None, state=state,
                                             questions=state.questions(), **values)
        return HTMLResponse(html, headers={"content-security-policy": PAGE_CSP})

    def home(request: Request) -> Response:
        state.refresh()
        students = [{"id": s.id, "points": s.points, "pending": s.pending_points, "waiting": s.waiting}
                    for s in state.result.students]
        return page("app_home.html", students=students, max_points=state.result.max_points)

    def by_question(request: Request) -> Response:
        state.refresh()
        qid = request.path_params["qid"]
        which = request.query_params.get("filter", "waiting")
        groups = state.queue(qid, which)
        entries = [entry_view(state, members, g) for g, members in groups]
        rq = next(q for q in state.rubric.questions if q.id == qid)
        ids = [q["id"] for q in state.questions()]
        k = ids.index(qid) if qid in ids else -1
        return page("app_question.html", entries=entries, question=rq, which=which, filters=FILTERS,
                    previous=ids[k - 1] if k > 0 else None, next=ids[k + 1] if 0 <= k < len(ids) - 1 else None,
                    proposed=sum(1 for e in entries for m in e["members"] if m["state"] == "proposed"))

    def by_student(request: Request) -> Response:
        state.refresh()
        s = state.student(request.path_params["sid"])
        entries = [entry_view(state, [(s, q)], None) for q in s.questions
                   if q.status != "missing" and state_of(q)]
        ids = state.order
        k = ids.index(s.id)
        return page("app_student.html", entries=entries, student=s, names=card_names(ids),
                    previous=ids[k - 1] if k > 0 else None, next=ids[k + 1] if k < len(ids) - 1 else None)

    def script(request: Request) -> Response:
        return FileResponse(HERE / "static" / "app.js", media_type="text/javascript; charset=utf-8")

    def media(request: Request) -> Response:
        root = (state.out / "media").resolve()
        try:
            path = (root / request.path_params["path"]).resolve(strict=True)
            path.relative_to(root)
        except (OSError, ValueError, RuntimeError):
            return JSONResponse({"error": t("review.app.no_media")}, status_code=404)
        if not path.is_file() or path.suffix.lower() not in IMAGE_TYPES:
            return JSONResponse({"error": t("review.app.no_media")}, status_code=404)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileResponse(path, media_type=kind, headers={"content-security-policy": "default-src 'none'; sandbox"})

    def api_questions(request: Request) -> Response:
        state.refresh()
        return JSONResponse(state.questions())

    def api_queue(request: Request) -> Response:
        state.refresh()
        which = request.query_params.get("filter", "all")
        out = []
        for g, members in state.queue(request.path_params["qid"], which):
            for s, q in members:
                out.append({"student": s.id, "points": q.points, "max_points": q.max_points, "status": state_of(q),
                            "answer": q.answer, "answer_hash": q.answer_hash, "group": g.id,
                            "proposed_points": q.proposed_points, "reviewer": q.reviewer, "comment": q.review_comment,
                            "previous": q.previous_review})
        return JSONResponse(out)

    def api_students(request: Request) -> Response:
        state.refresh()
        return JSONResponse([{"student": s.id, "points": s.points, "pending_points": s.pending_points,
                              "waiting": s.waiting} for s in state.result.students])

    def api_history(request: Request) -> Response:
        rows = state.book.history(request.query_params.get("student"), request.query_params.get("question"))
        return JSONResponse([{"student": d.student, "question": d.question, "points": d.points, "comment": d.comment,
                              "items": d.items, "reviewer": d.reviewer, "time": d.at, "answer_hash": d.answer_hash,
                              "source": d.source} for d in rows])

    async def api_reviews(request: Request) -> Response:
        body = await _json(request)
        result = state.decide(_text(body, "student"), _text(body, "question"), body.get("points"),
                              body.get("comment", ""), items=body.get("items"), group=bool(body.get("group", False)))
        return JSONResponse(result)

    async def api_accept(request: Request) -> Response:
        body = await _json(request)
        sid = body.get("student")
        return JSONResponse(state.accept(_text(body, "question"), None if sid is None else _text(body, "student")))

    async def api_split(request: Request) -> Response:
        body = await _json(request)
        return JSONResponse(state.split(_text(body, "student"), _text(body, "question")))

    routes = [Route("/", home), Route("/q/{qid}", by_question), Route("/s/{sid:path}", by_student),
              Route("/app.js", script), Route("/media/{path:path}", media),
              Route("/api/questions", api_questions), Route("/api/queue/{qid}", api_queue),
              Route("/api/students", api_students), Route("/api/history", api_history),
              Route("/api/reviews", api_reviews, methods=["POST"]), Route("/api/accept", api_accept, methods=["POST"]),
              Route("/api/split", api_split, methods=["POST"])]
    app = Starlette(routes=routes, exception_handlers={BadRequest: _bad_request, 404: _not_found,
                                                        405: _not_allowed, Exception: _internal})
    return Guard(app, token=token, hosts=hosts)


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"null")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest(t("review.app.bad_json")) from None
    if not isinstance(body, dict):
        raise BadRequest(t("review.app.bad_json"))
    return body


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise BadRequest(t("review.app.missing_field", field=key))
    return value


async def _bad_request(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=400)


async def _not_found(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": t("review.app.not_found", path=request.url.path)}, status_code=404)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": t("review.app.not_allowed", method=request.method)}, status_code=405)


async def _internal(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": t("review.app.internal", kind=type(exc).__name__)}, status_code=500)


def _app_env(lang: str) -> Environment:
    """The report pages' environment (filters, globals, base.html and _partials.html) with the app's templates first."""
    base = _env(lang)
    env = Environment(loader=ChoiceLoader([FileSystemLoader(HERE / "templates"), FileSystemLoader(TEMPLATES)]),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(base.globals)
    env.filters.update(base.filters)
    env.globals["t"] = partial(t, lang=lang)
    env.globals["filter_label"] = lambda which: t(f"review.app.filter.{which}", lang=lang)
    return env
