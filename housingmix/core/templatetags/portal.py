from django import template
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language):
    """The current page in ``language`` (same view, translated path, same query string)."""
    request = context["request"]
    url = translate_url(request.path, language)
    if request.META.get("QUERY_STRING"):
        url = "%s?%s" % (url, request.META["QUERY_STRING"])
    return url


@register.simple_tag
def current_language():
    return get_language()


@register.filter
def euro(value):
    """Money in euro, Italian style: 1.234,50 €."""
    if value in (None, ""):
        return ""
    from django.utils.formats import number_format

    return "%s €" % number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
