from html import escape

from django import template
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language):
    """The current page in ``language`` (same view, translated path, same query string).

    What ``translate_url(request.path, language)`` gives, without resolving the path again for
    each language when the handler's own match of it is at hand (no script prefix)."""
    request = context["request"]
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name and request.path == request.path_info:
        name = "%s:%s" % (match.namespace, match.url_name) if match.namespace else match.url_name
        with override(language):
            try:
                url = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                url = request.path
    else:
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


def _escaped(text) -> str:
    """``conditional_escape``: markup already safe kept, anything else escaped."""
    return text.__html__() if hasattr(text, "__html__") else escape(str(text))


@register.simple_tag
def select_options(field):
    """The ``<option>`` elements of a filter's select (``field``: a bound field whose form field
    has a ``choice_list``, see core.filters.freeze_choices), the submitted value selected.

    What the template loop ``{% for value, choice in ... %}<option value="{{ value }}"{% if ... %}
    selected{% endif %}>{{ choice }}</option>{% endfor %}`` printed, built in one pass: a select
    of the comuni or the reviewers has tens of options, and the template engine's per-variable
    work for each was a good share of a list page."""
    selected = "%s" % (field.value(),)
    # The stdlib's escape on each string (what format_html's conditional_escape comes down to for
    # a plain value, without its per-argument dispatch), one mark_safe for the whole list.
    parts = []
    for value, label in field.field.choice_list:
        value = "%s" % (value,)
        parts.append(
            '<option value="%s"%s>%s</option>'
            % (escape(value), " selected" if value == selected else "", _escaped(localize(label)))
        )
    return mark_safe("".join(parts))  # nosec B308 B703 - every value and label escaped above


@register.filter
def page_numbers(page):
    """The page links of ``page``'s list, elided around ``page`` itself (the first pages, an
    ellipsis, the ones around it, an ellipsis, the last ones). A list above the capped count
    (core.pagination) shows no last page, and no page after the last one it read."""
    paginator = page.paginator
    numbers = list(paginator.get_elided_page_range(page.number))
    if not page.has_next():
        while numbers and (numbers[-1] == paginator.ELLIPSIS or numbers[-1] > page.number):
            numbers.pop()
    return numbers
