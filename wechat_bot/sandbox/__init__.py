"""The project's own WeChat API emulator: the /cgi-bin calls this project makes, over real HTTP.

WeChat cannot be reached from development machines or CI, so `make run` and the tests talk to
this instead. It answers with WeChat's response shapes and error codes (token 40001/42001,
unsubscribed 43004, template rules 47003, client_msg_id dedup), records every call it received,
and fails on purpose when a test asks (see control.py). `create_sandbox_app` builds the WSGI
app, `SandboxServer` runs it on a loopback port, `python -m wechat_bot.sandbox` from a shell.
It stands apart from the bot: it imports only the plumbing (clock, logs) and the template rules
it checks messages against (wechat_api/template_rules.py).
"""
from wechat_bot.sandbox.app import create_sandbox_app
from wechat_bot.sandbox.server import SandboxServer
from wechat_bot.sandbox.state import SandboxState

__all__ = ["SandboxServer", "SandboxState", "create_sandbox_app"]
