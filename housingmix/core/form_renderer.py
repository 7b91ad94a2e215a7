"""The form renderer: Django's own widget templates in their Jinja2 edition, the Django-template
edition for every other form template.

A widget drawn with Django's templates costs 0.15 ms (a text box) to 0.4 ms (a select of four
options): the review page's checklists alone (fourteen fields per unit) spent a quarter of the
page's time there. Django ships every widget, error list and form layout template twice, for the
Django template language and for Jinja2 (``django/forms/jinja2``), and keeps the two editions
producing the same markup; the Jinja2 one renders several times faster. Templates that exist only
for the Django template language (the back office's widgets, crispy-forms' layouts, the project's
own) are found by the second engine, as before. tests/core/test_form_renderer.py renders every
form of the project with both and compares the markup.
"""

from functools import cached_property

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class WidgetRenderer(BaseRenderer):
    """Jinja2 for the templates it has, the Django template language for the others; each engine
    compiles a template once and keeps it (Jinja2's own cache, Django's cached loader)."""

    @cached_property
    def jinja2(self) -> Jinja2:
        return Jinja2()

    @cached_property
    def django(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
