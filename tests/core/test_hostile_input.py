"""Hostile input on every form, generated from the forms themselves: every page of the URL
configuration a role opens is read for the forms it shows, and each form is posted back with
hostile values in every field (long strings, markup, formula prefixes, NUL bytes, invalid UTF-8,
absurd numbers and dates, bad files). Never a 5xx, never the markup reflected, error messages in
Italian; and a draft keeps what was typed correctly next to what was refused."""

import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, in_comune, social_worker
from tests.url_patterns import pattern_path, url_patterns

pytestmark = pytest.mark.django_db

MARKUP = '"><script>alert("hm")</script><img src=x onerror=alert(1)>'
REFLECTED = ('<script>alert("hm")</script>', "<img src=x onerror")
KINDS = {
    "long": {"text": "A" * 20000, "number": "9" * 400, "date": "9" * 40, "choice": "x" * 5000},
    "markup": {"text": MARKUP, "number": MARKUP, "date": MARKUP, "choice": MARKUP},
    "formula": {"text": '=HYPERLINK("http://example.com","x")', "number": "+1+1", "date": "@SUM(A1)", "choice": "-1"},
    "nul": {"text": "Via\x00Roma", "number": "1\x002", "date": "2026\x00-01-01", "choice": "a\x00b"},
    "absurd": {"text": "\u202e\ufeff" * 50, "number": "-1e308", "date": "0000-00-00", "choice": "999999999999"},
    "overflow": {"text": " ", "number": "99999999999999999999999999", "date": "31/02/2026", "choice": ""},
}
# Pages whose form ends the draft or the session (submission, deletion, logout): their forms are
# a confirmation button with no field to be hostile with.
SKIP = {"applications:delete", "applications:summary", "applications:unit_remove", "account_logout"}
ENGLISH = re.compile(r"\b(This field|Enter a|Ensure this|Select a valid|not allowed|is required|characters)\b")


def _kind_of(field) -> str:
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return "number"
    if isinstance(field, (forms.DateField, forms.DateTimeField, forms.TimeField)):
        return "date"
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField)):
        return "choice"
    return "text"


BAD_FILES = (
    ("vuoto.pdf", b"", "application/pdf"),
    ("finto.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    ("foto.jpg", b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF", "image/jpeg"),
)


def _hostile(forms_on_page, kind: str, round_: int) -> dict:
    data = {}
    for form in forms_on_page:
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            field_kind = _kind_of(field)
            if field_kind == "file":
                filename, content, content_type = BAD_FILES[round_ % len(BAD_FILES)]
                data[key] = SimpleUploadedFile(filename, content, content_type=content_type)
            elif isinstance(field, forms.MultipleChoiceField):
                data[key] = [KINDS[kind]["choice"]]
            else:
                data[key] = KINDS[kind][field_kind]
    return data


def _forms(response) -> list:
    found = []
    if response.context is None:
        return found
    for context in response.context:
        for layer in getattr(context, "dicts", [context]):
            for value in layer.values() if isinstance(layer, dict) else []:
                if isinstance(value, forms.BaseForm) and value not in found:
                    found.append(value)
    return found


def _check(response, where):
    assert response.status_code < 500, where
    body = response.content.decode("utf-8", "replace") if not getattr(response, "streaming", False) else ""
    for markup in REFLECTED:
        assert markup not in body, (where, markup)
    for form in _forms(response):
        if form.is_bound:
            for errors in form.errors.values():
                for message in errors:
                    assert not ENGLISH.search(str(message)), (where, message)


def _post_hostile(client, paths, detail_forms, *, anonymous: bool) -> int:
    """Open each path, post its forms back with every kind of hostile value; the number of posts."""
    posted = 0
    for name, path in paths:
        page = client.get(path)
        _check(page, path)
        forms_on_page = _forms(page) if page.status_code == 200 else []
        if page.status_code == 405 and name.startswith("review:") and not anonymous:
            forms_on_page = detail_forms  # the review's actions post the forms of the review page
        if not forms_on_page:
            continue
        for round_, kind in enumerate(KINDS):
            response = client.post(path, _hostile(forms_on_page, kind, round_))
            _check(response, (path, kind))
            posted += 1
        # Invalid UTF-8 in the body itself.
        response = client.generic(
            "POST", path, b"name=%FF%FE%00&email=\xff\xfe", content_type="application/x-www-form-urlencoded"
        )
        _check(response, (path, "invalid utf-8"))
    return posted


@pytest.fixture
def people(django_capture_on_commit_callbacks):
    worker = social_worker("Lodi")
    with django_capture_on_commit_callbacks(execute=True):
        draft = ApplicationFactory(complete=True)
        reviewed = ApplicationFactory(under_review=True, lifecycle__reviewer=worker, **in_comune("Lodi"))
    return {
        "anonymous": (None, draft),
        "offerer": (draft.created_by, draft),
        "staff": (UserFactory(staff=True), reviewed),
        "social_worker": (worker, reviewed),
    }


def _values(application):
    unit = application.units.order_by("pk").first()
    attachment = application.attachments.order_by("pk").first()
    return {
        "ref": str(application.reference),
        "unit": str(unit.pk),
        "pk": str(attachment.pk),
        "filename": attachment.filename,
        "slug": application.notice.slug,
        "number": "1",
        "fmt": "csv",
        "key": "chiave",
        "uidb36": "1",
        "metadata_type": "openid_relying_party",
        "category": "salute-benessere-e-assistenza",
        "token": "token",
    }


@pytest.mark.parametrize("role", ["anonymous", "offerer", "staff", "social_worker"])
def test_every_form_takes_hostile_input_without_a_5xx_or_reflected_markup(client, people, role):
    user, application = people[role]
    if user is not None:
        client.force_login(user)
    values = _values(application)
    detail_forms = []
    if role in ("staff", "social_worker"):
        detail_forms = _forms(client.get(reverse("review:detail", kwargs={"ref": application.reference})))
        assert detail_forms
    paths = []
    for pattern in url_patterns():
        if not pattern.name or pattern.name.startswith("admin:") or pattern.name in SKIP:
            continue
        if set(pattern.params) - set(values):
            continue
        paths.append((pattern.name, pattern_path(pattern, values)))
    posted = _post_hostile(client, paths, detail_forms, anonymous=role == "anonymous")
    assert posted > 5


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    from tests.core.url_access_world import add_receipt, build_world

    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
    return add_receipt(world)


@pytest.mark.parametrize("role", ["ets_operator", "staff", "social_worker_assigned"])
def test_the_co_design_and_beneficiaries_forms_take_hostile_input(client, world, role):
    """The forms of the co-design and beneficiaries pages, on the objects of the URL table's world
    (the ETS operator's proposal, project and report; the assigned worker's household)."""
    client.force_login(world.users[role])
    paths = [
        (pattern.name, pattern_path(pattern, world.values_for(pattern)))
        for pattern in url_patterns()
        if pattern.name and pattern.name.startswith(("projects:", "beneficiaries:"))
    ]
    assert _post_hostile(client, paths, [], anonymous=False) > 0


def test_a_draft_keeps_what_was_typed_next_to_hostile_fields(client, people):
    user, draft = people["offerer"]
    client.force_login(user)
    url = reverse("applications:offerer", kwargs={"ref": draft.reference})
    page = client.get(url)
    form = _forms(page)[0]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(offerer_address="Via dei Mille 7", phone="\x00" + "9" * 500, email=MARKUP)
    response = client.post(url, data)
    _check(response, url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Abbiamo salvato i dati corretti" in body
    from applications.models import Application

    saved = Application.objects.get(pk=draft.pk)
    assert saved.offerer_address == "Via dei Mille 7"
    assert saved.phone == draft.phone and saved.email == draft.email


# The back office gets three kinds per form: the admin has dozens of forms, and every kind
# against each would take a minute.
ADMIN_KINDS = ("markup", "long", "nul")


def _admin_forms(response) -> tuple[list, dict]:
    """The change form and its inlines' forms, and the inlines' management values as the page gave them."""
    if response.context is None or "adminform" not in response.context:
        return [], {}
    found, management = [response.context["adminform"].form], {}
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        for name in formset.management_form.fields:
            management[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        found.extend(formset.forms)
    return found, management


def _admin_pages(request) -> list[str]:
    """The add and change page of every model the user may add or change in the back office,
    from the admin's own app list; a change page for the first stored object."""
    from django.contrib import admin

    pages = []
    for app in admin.site.get_app_list(request):
        for entry in app["models"]:
            model = entry["model"]
            if entry.get("add_url"):
                pages.append(entry["add_url"])
            instance = model._default_manager.order_by("pk").first()
            if instance is not None and entry["perms"].get("change"):
                opts = model._meta
                pages.append(reverse("admin:%s_%s_change" % (opts.app_label, opts.model_name), args=[instance.pk]))
    return pages


def _admin_custom_pages(world) -> list[str]:
    """The back office's own views with a form (not generated by the admin for a model)."""
    from housingmix.notices.models import Notice

    notice = world.objects.get("notice") or Notice.objects.order_by("pk").first()
    return [
        reverse("admin:notices_notice_withdraw", args=[notice.pk]),
        reverse("admin:notices_notice_upload", args=[notice.pk]),
        reverse("admin:notices_notice_publish", args=[notice.pk]),
        reverse("admin:portal_availabilityslot_series"),
        reverse("admin:password_change"),
    ]


@pytest.mark.parametrize("role", ["staff", "administrator"])
def test_the_back_office_forms_take_hostile_input(client, world, rf, role):
    """Every add and change form of the admin the role reaches, with its inlines, posted back with
    hostile values: never a 5xx, never the markup reflected, messages in Italian."""
    user = world.users[role]
    client.force_login(user)
    request = rf.get("/")
    request.user = user
    pages = _admin_pages(request)
    assert len(pages) > 5
    posted = 0
    for path in pages:
        page = client.get(path)
        _check(page, path)
        forms_on_page, management = _admin_forms(page)
        for round_, kind in enumerate(ADMIN_KINDS):
            data = {**_hostile(forms_on_page, kind, round_), **management}
            _check(client.post(path, data), (path, kind))
            posted += 1
        response = client.generic(
            "POST", path, b"name=%FF%FE%00&title=\xff\xfe", content_type="application/x-www-form-urlencoded"
        )
        _check(response, (path, "invalid utf-8"))
    assert posted > 20
    custom = 0
    for path in _admin_custom_pages(world):
        page = client.get(path)
        _check(page, path)
        forms_on_page = _forms(page) if page.status_code == 200 else []
        for round_, kind in enumerate(ADMIN_KINDS):
            _check(client.post(path, _hostile(forms_on_page, kind, round_)), (path, kind))
        custom += bool(forms_on_page)
    assert custom >= 1
