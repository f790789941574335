"""What this database holds: the ``demo_data`` mark set by ``hipback demo``.

A database loaded with the synthetic demo clinic remembers it, so the web app labels every page
"synthetic demo data" whenever it serves one, whatever ``HIPBACK_DEMO`` says, and the demo
loader refuses a database that holds real records.
"""

from __future__ import annotations

from hipback.db.repositories import settings as repo
from hipback.db.uow import UnitOfWork
from hipback.errors import Conflict

DEMO_KEY = "demo_data"


def holds_demo_data(uow: UnitOfWork) -> bool:
    """True when ``hipback demo`` loaded this database (False before it is migrated)."""
    return bool(repo.get_if_migrated(uow.session, DEMO_KEY))


def claim_for_demo(uow: UnitOfWork) -> bool:
    """Mark the database as a demo database; False when it already is one.

    Refuses (:class:`Conflict`) a database with real records: a patient not marked synthetic,
    or any user account in a database that was not loaded as a demo.
    """
    already = holds_demo_data(uow)
    real = repo.real_patients(uow.session)
    if real or (not already and repo.users(uow.session)):
        what = f"{real} real patient records" if real else "user accounts"
        raise Conflict(
            f"this database holds {what}; the synthetic demo clinic is loaded only into an "
            "empty database (set HIPBACK_DATABASE_URL to a new one)"
        )
    if already:
        return False
    repo.put(uow.session, DEMO_KEY, True, uow.clock.now(), uow.actor.label)
    uow.audit("installation.demo_data", "clinic", {"demo_data": True})
    return True
