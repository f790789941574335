"""A real hipback server (uvicorn, 2 workers) on a fresh database, for soak and crash tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from hipback.services.demo import DEMO_PASSWORD
from hipback.services.passwords import DEFAULT_HASHER


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    db_url: str
    port: int
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=lambda: Path("/dev/null"))

    def start(self) -> None:
        with self.log.open("ab") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "hipback",
                    "serve",
                    "--port",
                    str(self.port),
                    "--workers",
                    "2",
                ],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.kill()
        pytest.fail("hipback server did not start within 60 s")

    def kill(self) -> None:
        """SIGKILL the server and its workers: no shutdown hooks, no flushing."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None


@pytest.fixture
def server(demo_db: Any, tmp_path: Path) -> Iterator[Server]:
    """A server on this test's own copy of a 24-patient demo clinic, whose accounts are hashed
    with the production argon2id parameters, as the server itself hashes."""
    db_url = demo_db(n_patients=24, hasher=DEFAULT_HASHER)
    port = _free_port()
    env = os.environ | {"HIPBACK_DATABASE_URL": db_url, "HIPBACK_DEMO": "true"}
    srv = Server(f"http://127.0.0.1:{port}", db_url, port, env, log=tmp_path / "server.log")
    srv.start()
    yield srv
    srv.stop()


def signed_in_client(base_url: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base_url, timeout=30)
    form = client.get("/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token, form[:200]
    r = client.post(
        "/login",
        data={
            "username": "therapist",
            "password": DEMO_PASSWORD,
            "next": "/patients",
            "login_token": token.group(1),
        },
        follow_redirects=True,
    )
    match = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    assert match, r.status_code
    return client, match.group(1)
