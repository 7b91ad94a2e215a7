"""Helpers shared by the django-filter FilterSets of the portal."""

from .choices import with_empty


def freeze_choices(form, **cached: list[tuple]) -> None:
    """Give each select a ``choice_list`` for the template: iterating a ModelChoiceIterator in
    a template loop runs a COUNT and then a SELECT; a comprehension runs the SELECT only.

    ``cached``: for the fields named, a ready (value, label) list (core.choices.CachedChoices)
    used instead of querying; the field keeps its queryset, which validates a submitted value."""
    for name, field in form.fields.items():
        if name in cached:
            field.choice_list = with_empty(cached[name], field.empty_label)
        elif hasattr(field, "choices"):
            field.choice_list = [choice for choice in field.choices]
