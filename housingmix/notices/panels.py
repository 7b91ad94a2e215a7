"""Sections that other apps add to a notice's public page, so that notices imports none of them.

An app registers, in ``AppConfig.ready()``, a function taking the notice and returning
``Panel(template, context)`` or ``None`` (nothing to show for this notice):

    panels.register("projects.ranking", notice_ranking_panel)

The page includes each panel's template with its context under ``panel``, in registration order.
A panel must be public data only: the page is cached and served to anyone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


_PANELS: dict[str, Callable[[Any], Panel | None]] = {}


def register(name: str, build: Callable[[Any], Panel | None]) -> None:
    """Register ``build`` under ``name`` (once; a second, different function is a mistake)."""
    if name in _PANELS and _PANELS[name] is not build:
        raise ValueError("notice panel %s registered twice" % name)
    _PANELS[name] = build


def panels_for(notice) -> list[Panel]:
    """The panels to show on ``notice``'s public page."""
    return [panel for build in _PANELS.values() if (panel := build(notice)) is not None]
