"""A Redis connection of each thread's own for the chat turn's two round trips.

redis-py's pool does real work on every command: a lock, metrics, a poll() to check the
connection is clean, and the same again to give it back; its packing and reply parsing add
layers over hiredis. A turn makes two round trips per message on the webhook's hot path, so
it keeps one connection per thread (per process: a forked child opens its own), opened by
redis-py from the client's own settings (address, password, database, timeouts), and talks
on its socket with hiredis directly: packing and a reply reader are all a round trip needs.
"""
from __future__ import annotations

import os
import socket
import threading

import hiredis
import redis

RECONNECTABLE = (redis.ConnectionError, redis.TimeoutError)


class RedisLine:
    """Send commands on this thread's own connection to the client's Redis."""

    def __init__(self, client: redis.Redis):
        self.pool = client.connection_pool
        self._local = threading.local()

    def call(self, *command):
        """Send one command and return its answer (an error answer is raised)."""
        answer = self.call_many([command])[0]
        if isinstance(answer, redis.ResponseError):
            raise answer
        return answer

    def call_many(self, commands: list[tuple]) -> list:
        """Send several commands in one write and return their answers in order; on a broken
        connection, reconnect once and send them all again (callers make them idempotent).
        An error answer is returned in its place (a redis.ResponseError), not raised."""
        packed = b"".join([hiredis.pack_command(command) for command in commands])
        try:
            return self._exchange(packed, len(commands))
        except RECONNECTABLE:  # e.g. Redis restarted since the last turn: its socket is stale
            self._connection().disconnect()
            return self._exchange(packed, len(commands))

    def _exchange(self, packed: bytes, count: int) -> list:
        connection = self._connection()
        if connection._sock is None:   # redis-py's own socket, opened with its settings
            connection.connect()
        sock, reader, answers = connection._sock, hiredis.Reader(replyError=redis.ResponseError), []
        try:
            sock.sendall(packed)
            while len(answers) < count:
                chunk = sock.recv(65536)
                if not chunk:
                    raise redis.ConnectionError("Redis closed the connection")
                reader.feed(chunk)
                answer = reader.gets()
                while answer is not False:
                    answers.append(answer)
                    answer = reader.gets()
        except socket.timeout as error:
            connection.disconnect()    # a late answer must not be read as the next one's
            raise redis.TimeoutError(f"Redis did not answer: {error}") from None
        except OSError as error:
            connection.disconnect()
            raise redis.ConnectionError(f"Redis connection broke: {error}") from None
        except redis.ConnectionError:
            connection.disconnect()
            raise
        return answers

    def _connection(self):
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.connection = self.pool.connection_class(**self.pool.connection_kwargs)
            local.pid = os.getpid()
        return local.connection
