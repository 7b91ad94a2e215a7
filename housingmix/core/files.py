"""Serving stored private files (uploads, generated PDFs, exports) after a permission check."""

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control


def private_file_response(stored, *, filename: str, content_type: str, inline: bool = False) -> FileResponse:
    """Stream a stored file that only the current user may see: never cached by browsers or
    proxies; a file missing from storage is a 404, not a 500. The caller checks permissions."""
    try:
        handle = stored.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    patch_cache_control(response, private=True, no_store=True)
    return response
