def username_from_request(request, credentials):
    """The login identifier for django-axes: allauth passes ``email``, the admin ``username``."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username")
    return (value or "").strip().lower() or None
