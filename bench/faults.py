"""Faults the soak benchmark injects: a TCP proxy in front of PostgreSQL that can be cut.

Run as its own process (`python bench/faults.py LISTEN_PORT TARGET_PORT`), so copying bytes
never competes with the load generator for one interpreter. SIGUSR1 cuts: every connection
through it is closed and the listening socket too, so new connections are refused, as when
the database restarts. SIGUSR2 listens again. Either signal is answered by a line on stdout.
"""
from __future__ import annotations

import asyncio
import signal
import sys

CHUNK = 65536


class CuttableProxy:
    """Forwards 127.0.0.1:listen_port to 127.0.0.1:target_port until told to cut."""

    def __init__(self, listen_port: int, target_port: int):
        self.listen_port, self.target_port = listen_port, target_port
        self.server: asyncio.AbstractServer | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def listen(self) -> None:
        """Accept connections again (reusing the port)."""
        if self.server is None:
            self.server = await asyncio.start_server(self._client, "127.0.0.1", self.listen_port,
                                                     reuse_address=True)
        print("listening", flush=True)

    def cut(self) -> None:
        """Close the listener and every open connection, both ways."""
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.writers):
            writer.transport.abort()  # RST, like a server that went away
        self.writers.clear()
        print("cut", flush=True)

    async def _client(self, reader, writer) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self.writers.update((writer, up_writer))
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader, writer) -> None:
        try:
            while data := await reader.read(CHUNK):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()   # the other direction then ends too: its peer sees EOF


async def serve(listen_port: int, target_port: int) -> None:
    """Run the proxy until SIGTERM; SIGUSR1 cuts, SIGUSR2 listens again."""
    proxy = CuttableProxy(listen_port, target_port)
    loop, done = asyncio.get_running_loop(), asyncio.Event()
    loop.add_signal_handler(signal.SIGUSR1, proxy.cut)
    loop.add_signal_handler(signal.SIGUSR2, lambda: loop.create_task(proxy.listen()))
    loop.add_signal_handler(signal.SIGTERM, done.set)
    await proxy.listen()
    await done.wait()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), int(sys.argv[2])))
