"""Sign-in throttling: exponential back-off per account *and* client, and per client.

Each failed sign-in is counted under two keys: the account name with the client's address, and
the address alone (password spraying across accounts). A key is free for its first
``free`` failures; after that each failure doubles the wait before the next try from that key
(1 s, 2 s, 4 s, …) up to a short cool-down. A success clears the account-and-address key.

There is no hard lock: an attacker who knows a username can slow down their own guesses but not
a clinician signing in from another address. Failures are counted in the database (one truth for
every worker and for ``hipback users unlock``) and forgotten a day after the last one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from hipback.db.repositories import users as user_repo
from hipback.db.uow import UnitOfWork

FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class ThrottlePolicy:
    #: failures allowed per account and address before back-off starts
    free_per_account: int = 5
    #: failures allowed per address (every account) before back-off starts
    free_per_address: int = 20
    #: the longest wait between tries from one key (the cool-down), s
    max_wait_s: float = 300.0

    def wait_after(self, failures: int, free: int) -> float:
        """Seconds to wait after ``failures`` consecutive failures under a key."""
        if failures < free:
            return 0.0
        return float(min(2.0 ** (failures - free), self.max_wait_s))


def account_key(username: str, address: str) -> str:
    return f"acct:{username.strip().lower()}|addr:{address}"


def address_key(address: str) -> str:
    return f"addr:{address}"


def _keys(policy: ThrottlePolicy, username: str, address: str) -> dict[str, int]:
    return {
        account_key(username, address): policy.free_per_account,
        address_key(address): policy.free_per_address,
    }


def seconds_to_wait(uow: UnitOfWork, policy: ThrottlePolicy, username: str, address: str) -> float:
    """How long this client must wait before trying this account again (0: go ahead)."""
    keys = _keys(policy, username, address)
    now = uow.clock.now()
    waits = [0.0]
    for key, (count, last_at) in user_repo.failures(uow.session, list(keys)).items():
        if last_at.tzinfo is None:  # SQLite returns naive UTC
            last_at = last_at.replace(tzinfo=now.tzinfo)
        elapsed = (now - last_at).total_seconds()
        waits.append(policy.wait_after(count, keys[key]) - elapsed)
    return max(waits)


def record_failure(uow: UnitOfWork, policy: ThrottlePolicy, username: str, address: str) -> None:
    now = uow.clock.now()
    for key in _keys(policy, username, address):
        user_repo.record_failure(uow.session, key, now)
    user_repo.forget_old_failures(uow.session, now - FORGET_AFTER)


def record_success(uow: UnitOfWork, username: str, address: str) -> None:
    user_repo.clear_failures(uow.session, [account_key(username, address)])


def clear_account(uow: UnitOfWork, username: str) -> None:
    """Forget every client's failures for this account (the administrator's unlock)."""
    user_repo.clear_failures(uow.session, [], prefix=f"acct:{username.strip().lower()}|")
