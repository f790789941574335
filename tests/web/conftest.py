from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hipback.config import Settings
from hipback.web import create_app


@pytest.fixture
def client(sqlite_url: str) -> TestClient:
    return TestClient(create_app(Settings(database_url=sqlite_url)), raise_server_exceptions=False)
