"""A Redis connection of each thread's own for the chat turn's two round trips.

redis-py's pool does real work on every command: a lock, metrics, a poll() to check the
connection is clean, and the same again to give it back. A turn makes two round trips per
message on the webhook's hot path, so it keeps one connection per thread (per process: a
forked child opens its own) built from the client's own settings, and talks on it directly.
"""
from __future__ import annotations

import os
import threading

import redis

RECONNECTABLE = (redis.ConnectionError, redis.TimeoutError)


class RedisLine:
    """Send commands on this thread's own connection to the client's Redis."""

    def __init__(self, client: redis.Redis):
        self.pool = client.connection_pool
        self._local = threading.local()

    def call(self, *command):
        """Send one command and return its answer; on a broken connection, reconnect once."""
        connection = self._connection()
        try:
            connection.send_command(*command)
            return connection.read_response()
        except RECONNECTABLE:  # e.g. Redis restarted since the last turn: its socket is stale
            connection.disconnect()
            connection.send_command(*command)
            return connection.read_response()

    def call_many(self, commands: list[tuple]) -> list:
        """Send several commands in one write and return their answers in order; on a broken
        connection, reconnect once and send them all again (callers make them idempotent).
        An error answer is returned in its place, not raised."""
        connection = self._connection()
        packed = connection.pack_commands(commands)
        try:
            return self._exchange(connection, packed, len(commands))
        except RECONNECTABLE:  # as in call(): a stale socket after a Redis restart
            connection.disconnect()
            return self._exchange(connection, packed, len(commands))

    @staticmethod
    def _exchange(connection, packed, count: int) -> list:
        connection.send_packed_command(packed)
        answers = []
        for _ in range(count):
            try:
                answers.append(connection.read_response())
            except redis.ResponseError as error:  # keep reading: the rest are still coming
                answers.append(error)
        return answers

    def _connection(self):
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.connection = self.pool.connection_class(**self.pool.connection_kwargs)
            local.pid = os.getpid()
        return local.connection
