"""What the Area personale shows besides the account: each app that adds a part registers a
context provider here from its ``AppConfig.ready`` (so accounts imports none of them)."""

from collections.abc import Callable

_PROVIDERS: dict[str, Callable] = {}


def register(name: str, provider: Callable) -> None:
    """``provider(request) -> dict`` adds its keys to the Area personale's context."""
    _PROVIDERS[name] = provider


def area_context(request) -> dict:
    context: dict = {}
    for provider in _PROVIDERS.values():
        context.update(provider(request))
    return context
