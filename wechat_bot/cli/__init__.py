"""`run.py`'s subcommands (commands.py, and demo.py for `make run`) and the WeChat-side
client that `run.py chat`, the tests and the benchmarks use to post signed (and encrypted)
messages to the webhook (chat_client.py).

The outermost layer: it may import any part of the runtime, nothing imports it but run.py,
tests and benchmarks.
"""
