"""``hipback demo`` and ``hipback users create``: operator commands on the configured database.

Whoever can run these already holds the database, so they act as the ``cli`` operator with the
admin role; every change is still audited under that name.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from hipback.clinic.access import Actor

users_app = typer.Typer(help="User accounts.", no_args_is_help=True)


def operator() -> Actor:
    """The ``cli`` operator (admin role) these commands act as."""
    from hipback.clinic.access import Actor
    from hipback.clinic.records import Role

    return Actor("cli", Role.ADMIN)


def _uow_factory() -> tuple[Any, Any]:
    from hipback.config import load_settings
    from hipback.core.clock import SystemClock
    from hipback.db import make_engine, upgrade
    from hipback.db.uow import UnitOfWork, session_factory

    engine = make_engine(load_settings())
    upgrade(engine)
    factory = session_factory(engine)
    clock = SystemClock()
    return engine, lambda actor: UnitOfWork(factory, actor, clock)


def demo(
    patients: Annotated[int, typer.Option(min=1, max=2000, help="Synthetic patients.")] = 40,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same clinic).")] = 2026,
) -> None:
    """Load the synthetic demo clinic (idempotent: does nothing if it is already there)."""
    from rich.progress import Progress

    from hipback.config import load_settings
    from hipback.services.demo import DEMO_ACCOUNTS, load_demo
    from hipback.services.plans import PlanOptions

    settings = load_settings()
    options = PlanOptions.from_values(
        settings.session_minutes,
        settings.country,
        settings.subdivision,
        settings.closure_dates,
        settings.closed_weekdays,
    )
    engine, uow_for = _uow_factory()
    with Progress(transient=True) as progress:
        progress.add_task("loading synthetic demo clinic", total=None)
        made = load_demo(
            uow_for, today=date.today(), n_patients=patients, seed=seed, options=options
        )
    engine.dispose()
    if made == 0:
        print("hipback: demo data already present")
        return
    print(f"hipback: loaded {made} synthetic patients; demo accounts:")
    for account in DEMO_ACCOUNTS:
        print(f"  {account.username:<13} {account.password}  ({account.role})")


@users_app.command("create")
def create_user(
    username: Annotated[str, typer.Option(help="Sign-in name.")],
    role: Annotated[
        str, typer.Option(help="admin|therapist|assessor|trial_manager|statistician|patient")
    ],
    display_name: Annotated[str, typer.Option(help="Name shown in the app.")] = "",
    patient_id: Annotated[int | None, typer.Option(help="Patient id (patient accounts).")] = None,
    password: Annotated[str | None, typer.Option(help="Password; prompted when omitted.")] = None,
) -> None:
    """Create a user account (password policy: at least 12 characters, not the username)."""
    from hipback.services import auth

    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine, uow_for = _uow_factory()
    with uow_for(operator()) as uow:
        user_id = auth.create_user(
            uow,
            username=username,
            display_name=display_name,
            role=role,
            password=password,
            patient_id=patient_id,
        )
        uow.commit()
    engine.dispose()
    print(f"hipback: created user {username} (id {user_id}, {role})")


@users_app.command("unlock")
def unlock_user(username: Annotated[str, typer.Argument(help="Sign-in name.")]) -> None:
    """Clear an account's failed sign-ins from every client (after a guessing attack)."""
    from hipback.services import auth

    engine, uow_for = _uow_factory()
    try:
        with uow_for(operator()) as uow:
            auth.unlock_account(uow, username)
    finally:
        engine.dispose()
    print(f"hipback: cleared failed sign-ins for {username}")
