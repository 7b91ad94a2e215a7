"""The form renderer (housingmix/core/form_renderer.py) draws Django's widgets, error lists and
form layouts with their Jinja2 templates and everything else with the Django template language.
What a person sees and what a screen reader reads must not change: every widget Django has, bound
and unbound, valid and refused, and the pages richest in forms (the review page, the offerer's
wizard step, the back office's change form with its own widgets) give the same markup as with
Django's own renderer."""

import re
from types import SimpleNamespace

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.urls import reverse

from housingmix.core.form_renderer import WidgetRenderer
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, in_comune, social_worker

DJANGO_RENDERER = "django.forms.renderers.DjangoTemplates"
CHOICES = [
    ("", "---"),
    ("a", 'Alfa & <b>"uno"</b>'),
    ("b", "Beta l'altra"),
    ("Gruppo", [("c", "Gamma"), ("d", "Delta")]),
]
FLAT = [("a", "Alfa"), ("b", "Beta")]


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=20, help_text="Aiuto <b>sicuro</b>")
    number = forms.IntegerField(min_value=0, max_value=10)
    decimal = forms.DecimalField(max_digits=6, decimal_places=2)
    email = forms.EmailField()
    url = forms.URLField(assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    search = forms.CharField(widget=forms.SearchInput, required=False)
    telephone = forms.CharField(widget=forms.TelInput, required=False)
    colour = forms.CharField(widget=forms.ColorInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput)
    multiple_hidden = forms.MultipleChoiceField(choices=FLAT, widget=forms.MultipleHiddenInput)
    textarea = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "x"}))
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    datetime = forms.DateTimeField()
    time = forms.TimeField()
    checkbox = forms.BooleanField(required=False)
    select = forms.ChoiceField(choices=CHOICES)
    select_multiple = forms.MultipleChoiceField(choices=CHOICES)
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    checkboxes = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    null_boolean = forms.NullBooleanField()
    file = forms.FileField()
    clearable = forms.FileField(required=False)
    split = forms.SplitDateTimeField()
    split_hidden = forms.SplitDateTimeField(widget=forms.SplitHiddenDateTimeWidget, required=False)
    select_date = forms.DateField(widget=forms.SelectDateWidget(years=[2025, 2026]))
    disabled = forms.CharField(disabled=True, required=False)


INITIAL = {
    "text": 'Via "Roma" & <1>',
    "select": "a",
    "select_multiple": ["b", "c"],
    "radio": "d",
    "checkboxes": ["a", "d"],
    "checkbox": True,
    "null_boolean": False,
    "clearable": SimpleNamespace(url="/media/x.pdf", __str__=lambda self: "x.pdf"),
    "multiple_hidden": ["a", "b"],
    "disabled": "fisso",
}
HOSTILE = {
    "text": "A" * 40,
    "number": "-1",
    "decimal": "1e400",
    "email": "non-un-indirizzo",
    "url": "javascript:alert(1)",
    "date": "31/02/2026",
    "datetime": "ieri",
    "select": "zzz",
    "select_multiple": ["a", "<script>"],
    "radio": "zzz",
    "checkboxes": ["zzz"],
    "split_0": "2026-13-01",
    "split_1": "25:00",
    "select_date_day": "31",
    "select_date_month": "2",
    "select_date_year": "2026",
}


def normal(html: str) -> str:
    """Markup as a browser reads it: whitespace between tags and runs of spaces do not count, an
    apostrophe or a quote escaped as MarkupSafe writes it (``&#39;``, ``&#34;``) is the same
    character as Django's ``&#x27;`` and ``&quot;`` (nothing else is unescaped: markup escaped by
    one and not the other still differs), and a CSRF token differs on every render."""
    html = str(html).replace("&#39;", "&#x27;").replace("&#34;", "&quot;")
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', r'\1"', html)
    html = re.sub(r">\s+<", "><", html)
    return re.sub(r"\s+", " ", html).strip()


def _both(**kwargs):
    return EveryWidget(renderer=DjangoTemplates(), **kwargs), EveryWidget(renderer=WidgetRenderer(), **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"initial": INITIAL}, {"data": HOSTILE}, {"data": {**HOSTILE, "text": "ok"}, "prefix": "u7"}],
    ids=["empty", "initial", "refused", "prefixed"],
)
def test_every_widget_and_error_list_draws_what_djangos_templates_draw(kwargs):
    django_form, form = _both(**kwargs)
    assert type(form.renderer.get_template("django/forms/widgets/select.html")).__module__.endswith("jinja2")
    for name in form.fields:
        assert normal(form[name]) == normal(django_form[name]), name
        assert normal(form[name].errors) == normal(django_form[name].errors), name
        assert normal(form[name].label_tag()) == normal(django_form[name].label_tag()), name
    for layout in ("as_div", "as_p", "as_table", "as_ul"):
        assert normal(getattr(form, layout)()) == normal(getattr(django_form, layout)()), layout
    assert normal(form.non_field_errors()) == normal(django_form.non_field_errors())
    if "data" in kwargs:
        assert form.errors and normal(form.errors) == normal(django_form.errors)


def test_a_template_only_the_django_engine_has_is_still_found():
    """The back office's widgets (and crispy-forms' layouts) have no Jinja2 edition."""
    template = WidgetRenderer().get_template("admin/widgets/related_widget_wrapper.html")
    assert "{% " not in template.render({"widget": {}, "rendered_widget": "<select></select>"})


def test_the_project_renders_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "housingmix.core.form_renderer.WidgetRenderer"
    assert isinstance(get_default_renderer(), WidgetRenderer)


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return normal(response.content.decode())


def _same_page_with_both(client, url):
    ours = _page(client, url)
    with override_settings(FORM_RENDERER=DJANGO_RENDERER):
        theirs = _page(client, url)
    assert ours == theirs
    return ours


@pytest.mark.django_db
def test_the_review_page_and_the_offerers_step_are_the_same_markup(client, login, django_capture_on_commit_callbacks):
    worker = social_worker("Lodi")
    with django_capture_on_commit_callbacks(execute=True):
        reviewed = ApplicationFactory(under_review=True, lifecycle__reviewer=worker, units=2, **in_comune("Lodi"))
        draft = ApplicationFactory(complete=True)
    login(worker)
    page = _same_page_with_both(client, reverse("review:detail", kwargs={"ref": reviewed.reference}))
    assert page.count("<select") >= 14  # two units' checklists, and the other actions
    login(draft.created_by)
    _same_page_with_both(client, reverse("applications:offerer", kwargs={"ref": draft.reference}))


@pytest.mark.django_db
def test_the_back_offices_change_form_is_the_same_markup(client, login):
    """A notice's change form: Django's widgets (Jinja2) inside the back office's wrappers and
    inlines (the Django template language)."""
    from tests.notices.factories import NoticeFactory

    notice = NoticeFactory()
    login(UserFactory(staff=True))
    page = _same_page_with_both(client, reverse("admin:notices_notice_change", args=[notice.pk]))
    assert "related-widget-wrapper" in page or "<textarea" in page
