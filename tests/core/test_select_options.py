"""The filters' <option> lists (portal.select_options): values and labels escaped, markup the code
marked safe kept, the submitted value selected; the same markup the template loop printed."""

from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from housingmix.core.templatetags.portal import select_options


class _Filter(forms.Form):
    comune = forms.ChoiceField(required=False)


def _field(value, choices):
    form = _Filter(data={"comune": value})
    form.fields["comune"].choice_list = choices
    return form["comune"]


def test_values_and_labels_are_escaped_and_the_submitted_one_selected():
    choices = [
        ("", "---------"),
        ('1"><script>', "<b>Lodi</b> & Co"),
        (2, mark_safe("<em>Sant&#x27;Angelo</em>")),
        (3, gettext_lazy("Tutti")),
    ]
    html = select_options(_field("2", choices))
    assert html == (
        '<option value="">---------</option>'
        '<option value="1&quot;&gt;&lt;script&gt;">&lt;b&gt;Lodi&lt;/b&gt; &amp; Co</option>'
        '<option value="2" selected><em>Sant&#x27;Angelo</em></option>'
        '<option value="3">Tutti</option>'
    )
    assert "<script>" not in html and "<b>" not in html


def test_the_markup_is_what_the_template_loop_printed():
    choices = [("", "Tutti"), ("a'b", "O'Brien <x>"), ("c", "Codogno")]
    loop = Template(
        '{% for value, label in choices %}<option value="{{ value }}"{% if value == selected %} selected'
        "{% endif %}>{{ label }}</option>{% endfor %}"
    ).render(Context({"choices": choices, "selected": "c"}))
    assert select_options(_field("c", choices)) == loop
