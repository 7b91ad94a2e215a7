"""Issue 11, item 4: on the unit data step (about 30 fields), uploading a photo never blanks
what was typed: the upload sends and saves the draft with it. A person types the whole unit
without saving, uploads a photo, and finds the photo and every value still there."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from applications.models import Attachment
from applications.services import unit_add
from properties.models import HousingUnit
from tests.accounts.factories import PASSWORD
from tests.applications.factories import ApplicationFactory
from tests.browser.helpers import assert_no_blocking_violations, url_for
from tests.browser.test_offerer_flow import _file, _fill_unit_data, _png, field

pytestmark = [pytest.mark.browser, pytest.mark.scenario, pytest.mark.django_db(transaction=True)]


def test_typed_unit_survives_a_photo_upload(live_server, page):
    application = ApplicationFactory()
    owner = application.created_by
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    unit = unit_add(application=application, by=owner)

    page.goto(url_for(live_server, "account_login"))
    field(page, "Email").fill(owner.email)
    field(page, "Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_for(live_server, "accounts:area"))

    page.goto(url_for(live_server, "applications:unit_data", ref=application.reference, unit=unit.pk))
    _fill_unit_data(page, street_number="12", sub="3")
    field(page, "Spazi comuni (per il co-housing)").fill("Cortile e lavanderia condivisi")
    typed = {
        label: field(page, label).input_value()
        for label in (
            "Nome breve", "Via o piazza", "Numero civico", "CAP", "Foglio", "Particella", "Subalterno",
            "Piano", "Camere da letto", "Bagni", "Posti letto",
            "Codice APE", "Scadenza APE", "Spazi comuni (per il co-housing)",
        )
    }  # fmt: skip
    photos = page.locator("#photos")
    field(photos, "Descrizione (facoltativa)").fill("Soggiorno")
    field(photos, "File").set_input_files(_file("soggiorno.png", _png(), "image/png"))
    photos.get_by_role("button", name="Carica la fotografia").click()
    page.wait_for_load_state()

    expect(page.locator("#photos img")).to_have_count(1)
    expect(page.get_by_text("Fotografia caricata e bozza salvata.")).to_be_visible()
    for label, value in typed.items():
        expect(field(page, label), label).to_have_value(value)
    # Decimals come back as the draft stored them (62,5 → 62,50).
    expect(field(page, "Superficie (m²)")).to_have_value(re.compile(r"^62,50?$"))
    expect(field(page, "Vani catastali")).to_have_value(re.compile(r"^3,50?$"))
    expect(field(page, "Comune")).to_have_value(str(HousingUnit.objects.get(pk=unit.pk).comune_id))
    expect(field(page, "Categoria catastale")).to_have_value("A/3")
    expect(field(page, "Classe energetica")).to_have_value("C")
    expect(field(page, "Arredato")).to_be_checked()
    expect(field(page, "Libero")).to_be_checked()
    saved = HousingUnit.objects.get(pk=unit.pk)
    assert saved.street == "Via Vistarini" and saved.beds == 2 and saved.cadastral_sub == "3"
    assert Attachment.objects.filter(unit=unit, kind="photo").count() == 1
    assert_no_blocking_violations(page)
