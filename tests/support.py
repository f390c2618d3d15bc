"""Helpers for tests that run real servers on loopback."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import uvicorn


def free_socket() -> socket.socket:
    """A bound loopback socket on an ephemeral port (proto=TCP so asyncio sets TCP_NODELAY)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with free_socket() as sock:
        return sock.getsockname()[1]


async def start_server(app: Any) -> tuple[uvicorn.Server, asyncio.Task[None], str]:
    """Run an ASGI app with uvicorn in this event loop on a free port; returns its URL."""
    sock = free_socket()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.005)
    return server, task, f"http://127.0.0.1:{sock.getsockname()[1]}"


async def stop_server(server: uvicorn.Server, task: asyncio.Task[None]) -> None:
    """Ask uvicorn to exit and wait for it."""
    server.should_exit = True
    await asyncio.wait_for(task, 5)
