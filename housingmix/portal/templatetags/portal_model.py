import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from housingmix.portal import text

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the block.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def tr(obj, field):
    """An editorial field in the current language (Italian when the English one is empty)."""
    return obj.tr(field)


@register.filter
def tr_lang(obj, field):
    """` lang="it"` when an English page falls back to the Italian text of ``field``."""
    return format_html(' lang="{}"', "it") if obj.tr_is_fallback(field) else ""


@register.filter
def paragraphs(value):
    return text.paragraphs(value)


@register.simple_tag
def json_ld(data):
    """A JSON-LD block tagged as the model's checks read it (data-element="metatag"); a data
    block, not a script, so the CSP does not apply. Escaped like ``json_script``."""
    escaped = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    # The JSON is escaped as json_script escapes it: nothing in it can close the block.
    block = mark_safe(escaped)  # nosec B308 B703
    return format_html('<script type="application/ld+json" data-element="metatag">{}</script>', block)
