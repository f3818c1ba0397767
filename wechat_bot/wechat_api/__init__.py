"""Calls out to WeChat's API, and the rules WeChat holds us to.

gateway.py is the one way out (token in Redis, typed errors, the emulator when no secret is
set); template_rules.py is the 2023 template-message rules; notify.py queues template messages
and composes them to those rules; menus.py installs role menus and keeps user tags in step.
It may import the plumbing and `models`, nothing else of the runtime.
"""
