"""Row classes by area; importing this package registers every table on ``Base.metadata``."""

from hipback.db.tables.audit import AuditRow

__all__ = ["AuditRow"]
