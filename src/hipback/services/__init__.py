"""Use cases shared by the web app and the CLI; each owns its transaction and audit entries.

Every service function takes a :class:`hipback.db.uow.UnitOfWork` (which carries the actor and
the clock), checks the actor's permission, validates input with the domain models, writes rows
and audit entries, and commits once.
"""
