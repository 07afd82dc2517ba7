#!/usr/bin/env python3
"""A slow link between an inbox and its PostgreSQL server, for the network bench (issue 18).

This kernel has no netem (`tc qdisc … netem` says "Specified qdisc kind is unknown"), so the delay
is made here: a TCP proxy that holds every chunk the server sends for DELAY ms before
passing it on (as `netem delay` on the server's side of a link would: each round trip grows by
DELAY), in order. A cut link is not the proxy's: cut the veth pair it is reached over
(`ip link set VETH down`, scripts/bench-slow-link.sh).

    scripts/slow-link-proxy.py LISTEN_HOST LISTEN_PORT SERVER_PORT DELAY_MS
"""
import asyncio
import sys
import time

listen_host, listen_port, server_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
delay = float(sys.argv[4]) / 1000.0


async def pump(reader, writer, held):
    """Copies one direction; `held` delays each chunk by `delay` (the server's side)."""
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        writer.close()

    task = asyncio.ensure_future(deliver())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            await queue.put((time.monotonic() + (delay if held else 0), data))
    except (ConnectionError, OSError):
        pass
    await queue.put((0, None))
    await task


async def handle(client_reader, client_writer):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", server_port)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(
        pump(client_reader, server_writer, False),
        pump(server_reader, client_writer, True),
        return_exceptions=True,
    )


async def main():
    server = await asyncio.start_server(handle, listen_host, listen_port)
    async with server:
        await server.serve_forever()


asyncio.run(main())
