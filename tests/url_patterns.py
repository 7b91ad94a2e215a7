"""Every URL pattern of the project, read from the URL configuration, for tests that must cover
all of them (a new URL is then covered without anyone adding it to a list)."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Pattern:
    name: str | None  # "namespace:name", or None for an unnamed pattern
    route: str  # the pattern as written, prefixes joined (for messages and unnamed patterns)
    params: tuple[str, ...]  # the names of its URL parameters


def _params(pattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern.pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def url_patterns() -> list[Pattern]:
    """Every leaf pattern, with the namespaces and parameters of the resolvers above it."""
    found = []

    def walk(patterns, namespaces, route, inherited):
        for entry in patterns:
            params = inherited + _params(entry)
            text = route + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, namespaces + ([entry.namespace] if entry.namespace else []), text, params)
            elif isinstance(entry, URLPattern):
                name = ":".join(namespaces + [entry.name]) if entry.name else None
                found.append(Pattern(name=name, route=text, params=params))

    walk(get_resolver().url_patterns, [], "", ())
    return found


def pattern_path(pattern: Pattern, values: dict[str, str]) -> str | None:
    """The path of ``pattern`` with ``values`` for its parameters; None for an unnamed regex
    pattern (the admin's catch-all), which has no path of its own."""
    if not pattern.name and "(?P<" in pattern.route:
        return None
    missing = [param for param in pattern.params if param not in values]
    assert not missing, "no value for %s of %s: add one to the test's values" % (missing, pattern.route)
    kwargs = {param: values[param] for param in pattern.params}
    if pattern.name:
        return reverse(pattern.name, kwargs=kwargs)
    path = pattern.route
    for param, value in kwargs.items():
        path = re.sub(r"<(?:\w+:)?%s>" % param, str(value), path)
    return "/" + path
