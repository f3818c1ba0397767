"""What each role can say in chat, one module a role or topic, and Turn, the facts a handler gets.

A handler takes a Turn, changes the database through `models` and returns the reply text.
Handlers import only `models` and each other, never the runtime package: the runtime calls them.
"""
