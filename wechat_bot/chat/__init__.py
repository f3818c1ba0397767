"""One chat turn: what happens to a message after the webhook has checked and parsed it.

runner.py drops WeChat's retries, locks the user, builds the Turn, routes it and saves the
result; turn_store.py is the turn's Redis side (dedup, per-user lock, draft, cached profile) over
redis_line.py's connection; router.py picks the handler; profiles.py loads the user on a cache
miss. It may import the plumbing, the webhook's message and reply types, wechat_api/notify.py
(to queue notices), background/wake.py (to wake the worker), `handlers` and `models`; never the
back office or the worker's loop.
"""
