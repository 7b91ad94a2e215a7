"""SPID and CIE as a new private owner meets them, against the local test federation:
the library's trust anchor and providers run as real processes on loopback, with keys
generated for this run (housingmix/identity/testfed)."""

import socket
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from housingmix.identity.testfed.demo import DEMO_PASSWORD
from tests.browser.helpers import assert_no_blocking_violations, csp_console_errors

pytestmark = [pytest.mark.browser, pytest.mark.scenario]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def identity_live_server():
    """A live server on 127.0.0.1: federation entity ids must be URLs with an IP or a
    dotted host (the library's schemas refuse "localhost")."""
    server = LiveServer("127.0.0.1", start=False)
    server.thread.static_handler = lambda app: app
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def test_federation(identity_live_server, tmp_path_factory):
    from spid_cie_oidc.entity.jwks import public_jwk_from_private_jwk

    from housingmix.identity.keys import generate_test_jwks
    from housingmix.identity.testfed import runner

    fed = SimpleNamespace(
        spid_url="http://127.0.0.1:%d" % _free_port(),
        cie_url="http://127.0.0.1:%d" % _free_port(),
        rp_sub=identity_live_server.url + "/",
        jwks_fed=generate_test_jwks(use="sig"),
        jwks_core=generate_test_jwks(use="sig") + generate_test_jwks(use="enc"),
    )
    state = tmp_path_factory.mktemp("testfed")
    fed.trust_marks = runner.init(
        spid_url=fed.spid_url,
        cie_url=fed.cie_url,
        state_dir=state,
        rp={"sub": fed.rp_sub, "jwks": [public_jwk_from_private_jwk(k) for k in fed.jwks_fed]},
    )
    procs = runner.start(spid_url=fed.spid_url, cie_url=fed.cie_url, state_dir=state)
    yield fed
    runner.stop(procs)


@pytest.fixture
def federation_on(test_federation, identity_live_server, settings, transactional_db):
    """The portal's settings and relying-party configuration for this run's federation."""
    from housingmix.identity.conf import federation_settings
    from housingmix.identity.services import relying_party_configure

    settings.SPID_CIE_TEST_FEDERATION = True
    for key, value in federation_settings(
        test_federation=True,
        testfed_spid_url=test_federation.spid_url,
        testfed_cie_url=test_federation.cie_url,
        spid_trust_anchor="",
        cie_trust_anchor="",
        spid_providers=[],
        cie_provider=None,
        http_timeout=8,
    ).items():
        setattr(settings, key, value)
    relying_party_configure(
        entity_id=test_federation.rp_sub,
        site_url=identity_live_server.url,
        jwks_fed=test_federation.jwks_fed,
        jwks_core=test_federation.jwks_core,
        authority_hints=[test_federation.spid_url + "/"],
        trust_marks=test_federation.trust_marks,
        organization_name="Housing Mix",
        contacts=["ops@housingmix.localhost"],
    )
    return test_federation


def _submit_signed_by_identity(page, portal, fiscal_code, label, screenshots_dir, kind):
    import io

    from django.contrib.auth import get_user_model
    from pypdf import PdfReader

    from applications.models import Application, AttachmentKind
    from tests.applications.factories import ApplicationFactory

    users = get_user_model().objects
    user = users.get(tax_code=fiscal_code)
    users.filter(pk=user.pk).update(phone="0371 409111")
    user.refresh_from_db()
    application = ApplicationFactory(complete=True, created_by=user)  # the units and files, typed earlier
    application.attachments.filter(kind=AttachmentKind.ID_DOCUMENT).delete()
    ref = application.reference

    page.goto(portal + reverse("applications:offerer", kwargs={"ref": ref}), wait_until="load")
    expect(page.locator("#id_offerer_tax_code")).to_be_disabled()
    expect(page.locator("#id_offerer_tax_code")).to_have_value(fiscal_code)
    expect(page.locator("#id_signatory_tax_code")).to_be_disabled()
    assert_no_blocking_violations(page)
    page.goto(portal + reverse("applications:declarations", kwargs={"ref": ref}), wait_until="load")
    choice = page.locator("input[name=signature_mode][value=digital_identity]")
    page.locator(
        'label[for="%s"]' % choice.get_attribute("id")
    ).click()  # Bootstrap Italia draws the radio on its label
    expect(choice).to_be_checked()
    assert_no_blocking_violations(page)
    page.get_by_role("button", name="Salva e continua").click()
    page.wait_for_url("**" + reverse("applications:summary", kwargs={"ref": ref}))
    page.get_by_role("button", name="Presenta la manifestazione").click()
    page.wait_for_url("**" + reverse("applications:detail", kwargs={"ref": ref}))
    submitted = Application.objects.get(pk=application.pk)
    assert submitted.package["signature"]["fiscal_code"] == fiscal_code
    link = page.get_by_role("link", name="Ricevuta di presentazione")
    expect(link).to_be_visible()
    assert_no_blocking_violations(page)
    page.screenshot(path=str(screenshots_dir / ("identity-submitted-%s.png" % kind)), full_page=True)
    body = page.request.get(portal + link.get_attribute("href")).body()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(body)).pages)
    assert "Sottoscritta con identità digitale %s" % label in text and fiscal_code in text


PEOPLE = {
    "spid": ("mario.rossi", "Mario Rossi", "RSSMRA80A01E648Q", "SPID"),
    "cie": ("anna.verdi", "Anna Verdi", "VRDNNA85E52F205D", "CIE"),
}


@pytest.mark.parametrize("kind", ["spid", "cie"])
def test_private_owner_enters_with_a_digital_identity_and_leaves_both_sessions(
    kind, page, identity_live_server, federation_on, screenshots_dir
):
    from housingmix.identity.models import IdentityEvent, IdentityEventKind

    username, full_name, fiscal_code, label = PEOPLE[kind]
    portal = identity_live_server.url
    provider_url = (federation_on.spid_url if kind == "spid" else federation_on.cie_url) + "/oidc/op/"

    page.goto(portal + reverse("account_login"), wait_until="load")
    assert_no_blocking_violations(page)
    if kind == "spid":
        page.get_by_text("Entra con SPID").click()
        expect(page.get_by_role("link", name="SPID di prova (locale)")).to_be_visible()
        assert_no_blocking_violations(page)
        page.screenshot(path=str(screenshots_dir / "identity-login-spid-menu.png"), full_page=True)
        page.get_by_role("link", name="SPID di prova (locale)").click()
    else:
        page.get_by_role("link", name="Entra con CIE").click()
    assert not csp_console_errors(page)

    page.wait_for_url(provider_url + "authorization*")
    assert_no_blocking_violations(page)
    page.screenshot(path=str(screenshots_dir / ("identity-provider-login-%s.png" % kind)), full_page=True)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(provider_url + "consent*")
    assert_no_blocking_violations(page)
    page.locator("form button[type=submit]").last.click()

    page.wait_for_url(portal + reverse("accounts:area"))
    main = page.locator("main")
    expect(main).to_contain_text(full_name)
    expect(main).to_contain_text(fiscal_code)
    expect(main).to_contain_text("verificato con %s" % label)
    expect(main).to_contain_text("Sei entrato con %s" % label)
    assert not csp_console_errors(page)
    page.screenshot(path=str(screenshots_dir / ("identity-area-%s.png" % kind)), full_page=True)
    assert page.request.get(provider_url + "history").status == 200  # the provider's session is open

    # A manifestation signed with the identity of this session: the codice fiscale comes from
    # SPID/CIE and cannot be typed differently; no copy of an ID is needed; the receipt says so.
    _submit_signed_by_identity(page, portal, fiscal_code, label, screenshots_dir, kind)
    page.goto(portal + reverse("accounts:area"), wait_until="load")

    page.get_by_role("button", name="Esci dall'area personale").click()
    page.wait_for_url(portal + "/")
    page.goto(portal + reverse("accounts:area"), wait_until="load")
    assert reverse("account_login") in page.url  # the portal's session is over
    assert page.request.get(provider_url + "history").status == 403  # and so is the provider's
    kinds = list(IdentityEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [IdentityEventKind.ACCOUNT_CREATED, IdentityEventKind.LOGIN, IdentityEventKind.LOGOUT]
