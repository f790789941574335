"""Use cases shared by the web app and the CLI; each owns its transaction and audit entries."""
