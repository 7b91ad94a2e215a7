"""Serving stored private files (uploads, generated PDFs, exports) after a permission check."""

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

# A stored file is never a page of the portal: if a browser renders it (an inline PDF or photo,
# or a file it decides to show), it runs in a unique origin with scripts, forms, plugins and
# navigation of other windows disabled; Chromium's PDF viewer still displays it. django-csp
# leaves a response that already has the header alone.
FILE_CONTENT_SECURITY_POLICY = "sandbox"


def private_file_response(stored, *, filename: str, content_type: str, inline: bool = False) -> FileResponse:
    """Stream a stored file that only the current user may see: never cached by browsers or
    proxies, sandboxed by its Content-Security-Policy, a download unless ``inline``; a file
    missing from storage is a 404, not a 500. The caller checks permissions."""
    try:
        handle = stored.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    patch_cache_control(response, private=True, no_store=True)
    response["Content-Security-Policy"] = FILE_CONTENT_SECURITY_POLICY
    return response
