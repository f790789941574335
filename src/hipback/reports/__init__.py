"""Progress reports, handouts and trial reports built from domain objects; no database."""
