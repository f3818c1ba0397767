"""`run.py simulate`: days of operation in minutes, on the real code paths, with invariants.

world.py runs the real app (signed messages through the webhook, in process), the real worker
and its clock jobs against the WeChat API emulator, all on a ManualClock moved a minute at a
time. The people are actors that read what the emulator delivered to their phones and answer:
reporters.py, engineers.py, desk.py (the back office and a leader), cast.py (who is hired).
wire.py is what they touch (a phone, a browser, the emulator's deliveries); journal.py keeps
what they said and read. After the run invariants.py, claims.py, delivery.py and recount.py
check the database, the outbox and the emulator; report.py prints the days and the verdict.

Part of the cli room: it may import any part of the runtime.
"""
