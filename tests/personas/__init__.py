"""The persona suite: people who type as real people do, played through the real webhook.

Each person in cast*.py is one row: a goal, a way of typing and the facts they know. The
driver (driver.py) plays them against a fresh world (world.py: the app, the worker, the WeChat
API emulator and a manual clock), reading each reply by its meaning (ear.py) and answering from
their facts in their own style (mouth.py). The judge (judge.py) then compares what the bot
stored with what each person meant, and figures.py sums it up: goals reached, messages to
submit, fallback replies and re-asks per 100 messages, fields stored wrongly.

`python -m tests.personas` prints the report; tests/personas/test_targets.py holds the bot to
issue 11's targets. Like the rest of tests/, it may import anything in the project.
"""
