from __future__ import annotations

from typing import Any

from django.http import FileResponse


def download_response(handle: Any, name: str) -> FileResponse:
    """Always a download, never rendered by the browser: an uploaded .html or .svg must not
    run in our origin."""
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
