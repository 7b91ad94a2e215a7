"""A private owner, new to the portal, offers two flats: from the Avviso page to the receipt.

Signs up, starts from the notice, fills two units (the second duplicated from the first),
tries a file of the wrong type (clear message, nothing typed lost), leaves, comes back,
finishes, submits, sees the protocol number and downloads the receipt. axe runs on
every step.
"""

import io
import re
from datetime import timedelta

import pytest
from codicefiscale import codicefiscale
from django.core import mail
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.models import Application, ApplicationStatus, Attachment
from tests.browser.helpers import assert_no_blocking_violations, url_for

pytestmark = [pytest.mark.browser, pytest.mark.scenario, pytest.mark.django_db(transaction=True)]

EMAIL = "lucia.ferrari@example.org"
PASSWORD = "Cascina-sul-Po-2026"
TAX_CODE = codicefiscale.encode(
    lastname="Ferrari", firstname="Lucia", gender="F", birthdate="01/01/1970", birthplace="Lodi"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 180)).save(out, "PNG")
    return out.getvalue()


def field(scope, label: str):
    """The form control labelled exactly ``label`` (required fields add a "*" to the label)."""
    return scope.get_by_label(re.compile(r"^\s*%s\s*\*?\s*$" % re.escape(label)))


def tick(page, control) -> None:
    """Tick a checkbox or radio as a person does: by clicking its label (Bootstrap Italia
    draws the box on the label, over the input)."""
    control_id = control.get_attribute("id")
    page.locator('label[for="%s"]' % control_id).click()
    expect(control).to_be_checked()


def _file(name: str, body: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": body}


def _check(page, screenshots_dir, name: str) -> None:
    assert_no_blocking_violations(page)
    page.screenshot(path=str(screenshots_dir / ("offerer-%s.png" % name)), full_page=True)


def _sign_up(page, live_server, screenshots_dir) -> None:
    page.get_by_role("link", name="Registrati").click()
    field(page, "Email").fill(EMAIL)
    field(page, "Nome").fill("Lucia")
    field(page, "Cognome").fill("Ferrari")
    field(page, "Codice fiscale").fill(TAX_CODE)
    field(page, "Password").fill(PASSWORD)
    field(page, "Password (di nuovo)").fill(PASSWORD)
    tick(page, page.get_by_label(re.compile("Ho letto l'informativa")))
    _check(page, screenshots_dir, "01-signup")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert mail.outbox, page.locator("main").inner_text()
    message = mail.outbox[-1]
    link = re.search(r"https?://[^/\s]+(/\S*conferma\S*|/\S*confirm\S*)", message.body).group(1)
    page.goto(live_server.url + link)
    page.locator("main form button[type=submit]").click()


def _log_in(page, live_server) -> None:
    page.goto(url_for(live_server, "account_login"))
    field(page, "Email").fill(EMAIL)
    field(page, "Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_for(live_server, "accounts:area"))


def _fill_unit_data(page, *, street_number: str, sub: str) -> None:
    field(page, "Nome breve").fill("Bilocale %s" % street_number)
    field(page, "Via o piazza").fill("Via Vistarini")
    field(page, "Numero civico").fill(street_number)
    field(page, "Comune").select_option(label="Lodi")
    field(page, "CAP").fill("26900")
    field(page, "Foglio").fill("48")
    field(page, "Particella").fill("112")
    field(page, "Subalterno").fill(sub)
    field(page, "Categoria catastale").select_option("A/3")
    field(page, "Superficie (m²)").fill("62,5")
    field(page, "Vani catastali").fill("3,5")
    field(page, "Piano").fill("2")
    field(page, "Camere da letto").fill("1")
    field(page, "Bagni").fill("1")
    field(page, "Posti letto").fill("2")
    for group in ("Ascensore", "Accesso senza barriere architettoniche"):
        tick(page, page.get_by_role("group", name=group, exact=True).get_by_label("No"))
    field(page, "Riscaldamento").select_option("autonomous")
    field(page, "Classe energetica").select_option("C")
    field(page, "Codice APE").fill("1509800012345")
    field(page, "Scadenza APE").fill((timezone.localdate() + timedelta(days=1000)).strftime("%d/%m/%Y"))
    for group in ("Certificato di agibilità", "Impianto elettrico conforme", "Impianto gas conforme (o assente)"):
        tick(page, page.get_by_role("group", name=group, exact=True).get_by_label("Sì"))
    tick(page, field(page, "Arredato"))
    tick(page, field(page, "Buono, abitabile subito"))
    tick(page, field(page, "Libero"))


def _fill_terms(page) -> None:
    tick(page, field(page, "Locazione a canone concordato (3+2 anni)"))
    field(page, "Canone mensile proposto (€)").fill("480,00")
    field(page, "Disponibile dal").fill((timezone.localdate() + timedelta(days=45)).strftime("%d/%m/%Y"))
    field(page, "Durata (mesi)").fill("60")
    tick(page, page.get_by_role("group", name="Rinnovabile", exact=True).get_by_label("Sì"))
    tick(page, field(page, "Adulti soli"))
    tick(page, page.get_by_role("group", name="Disponibile per il co-housing", exact=True).get_by_label("No"))


def _upload_photo(page, screenshots_dir, name: str) -> None:
    photos = page.locator("#photos")
    field(photos, "Descrizione (facoltativa)").fill("Soggiorno")
    field(photos, "File").set_input_files(_file("soggiorno.png", _png(), "image/png"))
    photos.get_by_role("button", name="Carica la fotografia").click()
    page.wait_for_load_state()
    expect(page.locator("#photos img"), page.locator("#photos").inner_text()).to_have_count(1)
    _check(page, screenshots_dir, name)


def test_private_owner_offers_two_flats_and_gets_protocol_and_receipt(
    live_server, page, seeded_portal, screenshots_dir
):
    notice = seeded_portal
    page.goto(url_for(live_server, "notices:detail", slug=notice.slug))
    page.get_by_role("link", name="Partecipa all'avviso").click()
    _check(page, screenshots_dir, "00-participate")
    page.get_by_role("link", name="Compila la manifestazione online").click()

    # A new user: the login page offers sign-up; after confirming the e-mail, log in.
    _sign_up(page, live_server, screenshots_dir)
    _log_in(page, live_server)
    page.get_by_role("link", name="Le tue manifestazioni di interesse").click()
    page.get_by_role("link", name=re.compile("Offri un alloggio")).click()
    _check(page, screenshots_dir, "02-start")
    tick(page, field(page, "A titolo personale, come privato cittadino"))
    page.get_by_role("button", name="Inizia la manifestazione").click()

    # Step 1: offerer and signatory, prefilled from the account.
    expect(field(page, "Codice fiscale dell'offerente")).to_have_value(TAX_CODE)
    field(page, "Indirizzo di residenza").fill("Via Garibaldi 3")
    field(page, "CAP").fill("26900")
    field(page, "Comune").fill("Lodi")
    field(page, "Provincia").fill("LO")
    field(page, "Documento d'identità").select_option("id_card")
    field(page, "Numero del documento").fill("CA55555LF")
    field(page, "Scadenza del documento").fill("01/01/2031")
    field(page, "Telefono").fill("0371 445566")
    _check(page, screenshots_dir, "03-offerer")
    page.get_by_role("button", name="Salva e continua").click()

    # Step 2: the first unit.
    _check(page, screenshots_dir, "04-units")
    page.get_by_role("button", name="Aggiungi un alloggio").click()
    _fill_unit_data(page, street_number="12", sub="3")
    page.get_by_role("button", name="Salva la bozza").click()
    expect(page.get_by_text("Bozza salvata.")).to_be_visible()
    _upload_photo(page, screenshots_dir, "05-unit-data")
    page.get_by_role("button", name="Salva e continua").click()
    _fill_terms(page)
    _check(page, screenshots_dir, "06-terms")
    page.get_by_role("button", name="Salva e continua").click()

    # The second unit: a copy of the first, then its own number and photo.
    page.get_by_role("button", name=re.compile("^Duplica")).first.click()
    expect(field(page, "Numero civico")).to_have_value("12")
    field(page, "Numero civico").fill("14")
    field(page, "Subalterno").fill("4")
    page.get_by_role("button", name="Salva la bozza").click()
    _upload_photo(page, screenshots_dir, "07-second-unit")
    page.get_by_role("button", name="Salva e continua").click()
    page.get_by_role("button", name="Salva e continua").click()
    expect(page.locator("main table tbody tr")).to_have_count(2)

    # Attachments: a file that is not what its name says is refused; the description stays.
    page.get_by_role("link", name="Continua con gli allegati").click()
    field(page, "Tipo di documento").select_option("cadastral_survey")
    field(page, "Descrizione (facoltativa)").fill("Visura dei due subalterni")
    field(page, "File").set_input_files(_file("visura.pdf", b"GIF89a not really a pdf", "application/pdf"))
    page.get_by_role("button", name="Carica il documento").click()
    expect(page.get_by_role("alert").filter(has_text="non è di un tipo ammesso")).to_be_visible()
    expect(field(page, "Descrizione (facoltativa)")).to_have_value("Visura dei due subalterni")
    _check(page, screenshots_dir, "08-wrong-file")
    assert not Attachment.objects.filter(application__created_by__email=EMAIL, kind="cadastral_survey").exists()
    field(page, "File").set_input_files(_file("visura.pdf", PDF, "application/pdf"))
    page.get_by_role("button", name="Carica il documento").click()
    expect(page.get_by_role("link", name="visura.pdf", exact=True)).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile("Visura catastale"))).to_be_visible()

    # Leave, log out, come back later from the personal area.
    page.get_by_role("link", name="Esci e riprendi più tardi").click()
    page.goto(url_for(live_server, "accounts:area"))
    page.get_by_role("button", name="Esci dall'area personale").click()
    _log_in(page, live_server)
    page.get_by_role("link", name="Le tue manifestazioni di interesse").click()
    _check(page, screenshots_dir, "09-my-applications")
    page.get_by_role("link", name="Completa e presenta").click()
    expect(page.get_by_role("heading", name=re.compile("Mancano ancora"))).to_be_visible()
    _check(page, screenshots_dir, "10-summary-incomplete")

    page.get_by_role("link", name="Allegati", exact=True).first.click()
    for kind, name in (("id_document", "carta.pdf"), ("floor_plan", "planimetria.pdf"), ("title_deed", "atto.pdf")):
        field(page, "Tipo di documento").select_option(kind)
        field(page, "File").set_input_files(_file(name, PDF, "application/pdf"))
        page.get_by_role("button", name="Carica il documento").click()
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    _check(page, screenshots_dir, "11-attachments")
    page.get_by_role("link", name="Continua con le dichiarazioni").click()
    for label in ("artt. 46 e 47", "diritto di mettere a disposizione", "art. 71", "condizioni dell'avviso", "art. 13"):
        tick(page, page.get_by_label(re.compile(re.escape(label))))
    tick(page, page.get_by_label(re.compile("Invio dall'area personale")))
    _check(page, screenshots_dir, "12-declarations")
    page.get_by_role("button", name="Salva e continua").click()

    # Summary, submission, protocol number and receipt.
    expect(page.get_by_role("heading", level=1)).to_have_text("Riepilogo e invio")
    _check(page, screenshots_dir, "13-summary")
    page.get_by_role("button", name="Presenta la manifestazione").click()
    application = Application.objects.get(created_by__email=EMAIL)
    assert application.status == ApplicationStatus.SUBMITTED
    number = application.protocol.display_number
    expect(page.get_by_text(number).first).to_be_visible()
    assert application.units.count() == 2
    page.reload()
    _check(page, screenshots_dir, "14-submitted")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ricevuta di presentazione").click()
    body = open(download.value.path(), "rb").read()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert number in text
    assert "Via Vistarini 14" in text
