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
    """Money in euro as the acts write it: € 1.234,50 (``core.numbers.euro``, the one definition)."""
    from housingmix.core.numbers import euro as format_euro

    return format_euro(value)
