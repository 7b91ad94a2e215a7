"""Editorial text of the back office shown as HTML: paragraphs and "- " bullet lists, escaped.

Staff type plain text in the admin; no HTML is accepted, so nothing they paste can carry a
script or break the strict CSP."""

import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_TAX_CODE = re.compile(r"\b[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<!\w)\+?\d[\d .\-/]{6,}\d(?!\w)")
_LINE_BREAK = format_html("<{}>", "br")


def paragraphs(text: str) -> SafeString:
    """Blank lines separate paragraphs; consecutive lines starting with "- " make a list."""
    blocks = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:].strip(),) for line in lines))
            blocks.append(format_html("<ul>{}</ul>", items))
        else:
            blocks.append(format_html("<p>{}</p>", format_html_join(_LINE_BREAK, "{}", ((line,) for line in lines))))
    return format_html_join("", "{}", ((block,) for block in blocks))


def redact_personal_data(text: str) -> str:
    """Remove what looks like an e-mail address, a codice fiscale or a phone number."""
    text = _EMAIL.sub("[…]", text)
    text = _TAX_CODE.sub("[…]", text)
    return _PHONE.sub("[…]", text)
