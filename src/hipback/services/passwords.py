"""The password hasher: argon2id, passed in so that tests can use cheap parameters.

Production code never chooses parameters: it uses :data:`DEFAULT_HASHER`, argon2-cffi's
defaults, which are RFC 9106's second recommended option (argon2id, t = 3 passes,
m = 64 MiB, p = 4 lanes, 16-byte salt, 32-byte hash). Hashes record their own parameters, so a
hash made with other parameters still verifies and is rehashed with these on the next sign-in.
The test suite passes a low-cost hasher (``tests/conftest.py``) to the services and the app.
"""

from __future__ import annotations

from argon2 import PasswordHasher

#: the hasher every production code path uses (``create_app``, the CLI, ``load_demo``)
DEFAULT_HASHER = PasswordHasher()

__all__ = ["DEFAULT_HASHER", "PasswordHasher"]
