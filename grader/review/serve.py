"""`grade review OUT`: the app on a local port, with a token, until Ctrl-C."""

from __future__ import annotations

import ipaddress
import secrets
import socket
import sys
import threading
import webbrowser
from typing import TextIO

from ..i18n import t
from .state import ReviewState

LOOPBACK = "127.0.0.1"


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one, chosen by the system)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def serve(state: ReviewState, *, host: str = LOOPBACK, port: int = 0, open_browser: bool = True,
          out: TextIO = sys.stdout) -> None:
    """Serve the app; the first line printed is the address with its token."""
    import uvicorn

    from .app import make_app

    sock = bind(host, port)
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(24)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/?token={token}"
    hosts = {f"{shown}:{port}", f"127.0.0.1:{port}", f"localhost:{port}"}
    print(url, file=out, flush=True)
    print(t("review.app.serving", out=state.out, reviewer=state.reviewer), file=sys.stderr, flush=True)
    if not is_loopback(host):
        print(t("review.app.exposed", host=host), file=sys.stderr, flush=True)
    app = make_app(state, token=token, hosts=hosts)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", server_header=False)
    server = uvicorn.Server(config)
    if open_browser:
        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    state.start_page_writer()
    try:
        server.run(sockets=[sock])
    finally:
        state.flush()
