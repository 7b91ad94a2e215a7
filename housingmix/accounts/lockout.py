def username_from_request(request, credentials):
    """The login identifier for django-axes: allauth passes ``email``, the admin ``username``."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username")
    return (value or "").strip().lower() or None


def client_str(username, ip_address, user_agent, path_info, request):
    """How django-axes names a client in its logs: a pseudonym, never the e-mail address."""
    import hashlib

    digest = hashlib.sha256((username or "").encode("utf-8")).hexdigest()[:12]
    return "account %s on %s" % (digest, path_info)
