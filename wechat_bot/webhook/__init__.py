"""WeChat's side of HTTP: the /wechat endpoint and /healthz.

endpoint.py answers POST /wechat straight from WSGI (and GET verification as a Flask view),
signing.py checks signatures and does the AES of compatible and safe mode, inbound.py parses
and validates the XML WeChat posts, reply_xml.py builds the passive reply, health.py is
/healthz (and what `run.py worker --check` prints). It may import the plumbing beside it
(config, clock, logs, redis_conn, outages) and `models`; it hands each parsed message to the
app's turn runner (chat/) without importing it.
"""
