"""Helpers every multi-step draft uses: the missing-items list, the step indicator, the frozen
package and its SHA-256.

A draft may be saved at any step; what is required is listed at once at submission, each item
with the step (and the page) where it is fixed. Submission freezes the content as canonical JSON
and hashes it, so the protocol entry and the receipt carry the same fingerprint.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Step:
    """One step of a multi-step form: ``slug``, visible ``label`` and the URL name that opens it."""

    slug: str
    label: Any
    url_name: str


@dataclass(frozen=True)
class MissingItem:
    """Something that prevents submission: the step where it is fixed, the message, the link."""

    step: str
    message: str
    url: str
    step_label: str = ""


def missing_items_sorted(items: Iterable[MissingItem], steps: Sequence[Step]) -> list[MissingItem]:
    """``items`` in step order, each with its step's label filled in."""
    order = {step.slug: index for index, step in enumerate(steps)}
    labels = {step.slug: str(step.label) for step in steps}
    return sorted(
        (
            MissingItem(item.step, item.message, item.url, item.step_label or labels.get(item.step, ""))
            for item in items
        ),
        key=lambda item: order.get(item.step, len(order)),
    )


def step_indicator(
    steps: Sequence[Step], *, current: str, missing: Iterable[MissingItem], urls: dict[str, str], final: str = ""
) -> list[dict[str, Any]]:
    """The stepper's rows for the Bootstrap Italia steppers: each step with its number, link,
    ``state`` (``active`` for the one shown, ``confirmed`` when nothing is missing in it) and
    ``done``. ``urls`` maps a step slug to the page that opens it; the ``final`` step (the summary)
    is never marked done, since it is where the draft is sent."""
    incomplete = {item.step for item in missing}
    rows = []
    for number, step in enumerate(steps, start=1):
        done = step.slug not in incomplete and step.slug != final
        rows.append(
            {
                "slug": step.slug,
                "label": step.label,
                "number": number,
                "url": urls.get(step.slug, ""),
                "state": "active" if step.slug == current else ("confirmed" if done else ""),
                "done": done,
            }
        )
    return rows


def json_value(value):
    """A value as the frozen package stores it: decimals and dates as strings."""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def package_json(package: dict[str, Any]) -> str:
    """The canonical JSON of a frozen package (sorted keys, no spaces): what is hashed."""
    return json.dumps(package, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=json_value)


def package_hash(package: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``package``."""
    return hashlib.sha256(package_json(package).encode("utf-8")).hexdigest()
