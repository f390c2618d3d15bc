"""The `tradewind` command as a newcomer runs it: seed, then serve the API over real HTTP."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tradewind.local_secrets import local_secret

TRADEWIND = Path(sys.executable).with_name("tradewind")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


def run(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRADEWIND_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run([str(TRADEWIND), *args], env=env, capture_output=True, text=True, timeout=120)


def test_local_secret_is_generated_once_and_private(tmp_path: Path) -> None:
    first = local_secret("service-token", folder=tmp_path)
    assert first.get_secret_value() == local_secret("service-token", folder=tmp_path).get_secret_value()
    assert len(first.get_secret_value()) >= 40 and "*" in repr(first)
    assert stat.S_IMODE((tmp_path / "service-token").stat().st_mode) == 0o600


def test_seed_then_serve_the_api_on_sqlite(var_dir: Path) -> None:
    seeded = run(var_dir, "seed")
    assert seeded.returncode == 0, seeded.stderr
    assert "demo catalog ready: 12 shops, 120 products" in seeded.stderr
    assert "already present" in run(var_dir, "seed").stderr

    port = free_port()
    env = {**os.environ, "TRADEWIND_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([str(TRADEWIND), "api", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        token = (var_dir / "secrets" / "service-token").read_text().strip()
        assert httpx.get(f"{base}/search", params={"q": "genser"}).status_code == 401
        found = httpx.get(f"{base}/search", params={"q": "suéter de lana", "lang": "es", "currency": "ARS"},
                          headers={"Authorization": f"Bearer {token}"}).json()
        assert found["total"] >= 3 and found["items"][0]["price"]["currency"] == "ARS"
        photo = found["items"][0]["photos"][0]
        image = httpx.get(f"{base}/media/{photo}", headers={"Authorization": f"Bearer {token}"})
        assert image.headers["content-type"] == "image/png" and image.content.startswith(b"\x89PNG")
        escape = httpx.get(f"{base}/media/../secrets/service-token", headers={"Authorization": f"Bearer {token}"})
        assert escape.status_code == 404
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert token not in output  # the token never reaches the logs
