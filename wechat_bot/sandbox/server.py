"""The emulator on a loopback port, served by a background thread (tests, `make run`)."""
from __future__ import annotations

import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from wechat_bot.sandbox.app import create_sandbox_app

POLL_SECONDS = 0.05  # how soon stop() is noticed: tests start and stop one server each


class QuietRequestHandler(WSGIRequestHandler):
    """No access log: its lines would carry tokens and secrets; the API logs its own line."""

    def log_request(self, code="-", size="-") -> None:
        pass


class SandboxServer:
    """A running emulator: `url`, `api_base_url` and `state` (the test controls).

    The port is bound on construction (port 0: any free one), so `url` is known before start.
    Use as a context manager, or call start() and stop().
    """

    def __init__(self, app_id: str, app_secret: str, host: str = "127.0.0.1", port: int = 0,
                 clock=None):
        self.app = create_sandbox_app(app_id, app_secret, clock)
        self.state = self.app.extensions["sandbox"]
        # threaded: a held (delayed) answer must not block the calls behind it
        self._server = make_server(host, port, self.app, threaded=True,
                                   request_handler=QuietRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        args=(POLL_SECONDS,), name="wechat-sandbox", daemon=True)

    @property
    def url(self) -> str:
        """http://host:port, without a trailing slash."""
        return f"http://{self._server.host}:{self._server.server_port}"

    @property
    def api_base_url(self) -> str:
        """What a WeChat client takes as its base URL (WeChat's is https://api.weixin.qq.com/cgi-bin/)."""
        return f"{self.url}/cgi-bin/"

    def start(self) -> "SandboxServer":
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (python -m wechat_bot.sandbox)."""
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()

    def stop(self) -> None:
        """Stop serving and free the port; held answers still in flight are abandoned."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "SandboxServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
