"""The stateful peer: WeRoBot 1.13 with its RedisStorage session, answering 报修.

What most Python WeChat bots are: WeRoBot's own WSGI app (Bottle) checks the signature, parses
the message, reads the sender's session from Redis (one GET), runs the handler, writes the
session back (one SET) and renders the reply. Served like the real app:
gunicorn -w 2 'werobot_app:create_app()'. Settings come from the environment: WEROBOT_TOKEN,
WEROBOT_REDIS_URL, WEROBOT_PREFIX. WeRoBot's sessions carry no TTL; the bench deletes them.
"""
from __future__ import annotations

import os

import redis
from werobot import WeRoBot
from werobot.session.redisstorage import RedisStorage

# The same words the real app answers 报修 with (templates/messages/reporter/intro.txt and
# ask_description.txt), so both send replies of the same size.
REPORT_REPLY = ("好的，开始报修（随时回复“取消”放弃，“返回”回到上一步）。\n\n"
                "请描述一下是什么问题（文字或语音都可以），例如“卫生间水龙头一直滴水”。")
UNKNOWN_REPLY = "回复“报修”开始报修。"


def create_app():
    """WeRoBot's WSGI app with a /healthz route beside the webhook."""
    client = redis.Redis.from_url(os.environ["WEROBOT_REDIS_URL"], socket_timeout=5,
                                  socket_connect_timeout=2)
    storage = RedisStorage(client, prefix=os.environ.get("WEROBOT_PREFIX", "ws_"))
    robot = WeRoBot(token=os.environ["WEROBOT_TOKEN"], session_storage=storage)

    @robot.filter("报修")
    def report(message, session):
        """A report starts: the session remembers the step, as a conversation's state."""
        session["step"] = "description"
        session["turns"] = session.get("turns", 0) + 1
        return REPORT_REPLY

    @robot.text
    def anything_else(message, session):
        return UNKNOWN_REPLY

    app = robot.wsgi  # Bottle matches this fixed route before WeRoBot's catch-all one

    @app.get("/healthz")
    def healthz():
        client.ping()
        return {"status": "ok"}

    return app
