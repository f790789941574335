"""``hipback serve``: run the web app with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve the web app (settings from HIPBACK_* environment variables)."""
    import uvicorn

    print(f"hipback: serving on http://{host}:{port}  (Ctrl-C to stop)")
    uvicorn.run(
        "hipback.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        # X-Forwarded-* are believed only from HIPBACK_TRUSTED_PROXIES (in the app)
        proxy_headers=False,
        forwarded_allow_ips="",
    )
