import pytest
from django.urls import reverse

from housingmix.accounts.models import MembershipRole
from housingmix.accounts.roles import Role
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BACKOFFICE = "/backoffice/"


def _organisation(make_tax_code, **kwargs):
    return OrganisationFactory(tax_code=make_tax_code(), **kwargs)


def test_anonymous_visitor_is_sent_to_login_from_personal_area(client):
    response = client.get(reverse("accounts:area"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("is_staff", [False, True])
def test_social_worker_cannot_open_backoffice(client, login, is_staff):
    social_worker = UserFactory(social_worker=True, is_staff=is_staff)
    login(social_worker)

    response = client.get(BACKOFFICE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_offerer_cannot_open_backoffice(client, login, offerer):
    login(offerer)

    response = client.get(BACKOFFICE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_ambito_staff_opens_backoffice(client, login):
    login(UserFactory(staff=True))

    response = client.get(BACKOFFICE)

    assert response.status_code == 200


def test_personal_area_links_backoffice_only_for_back_office_roles(client, login, offerer):
    login(offerer)
    assert BACKOFFICE not in client.get(reverse("accounts:area")).content.decode()

    login(UserFactory(staff=True))
    assert 'href="%s"' % BACKOFFICE in client.get(reverse("accounts:area")).content.decode()


def test_offerer_sees_own_organisation(client, login, make_tax_code):
    membership = MembershipFactory(organisation=_organisation(make_tax_code, name="Cooperativa Casa Comune"))
    login(membership.user)

    response = client.get(membership.organisation.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert "Cooperativa Casa Comune" in content
    assert "Ente del Terzo settore (ETS)" in content  # the type label, not the slug
    assert "Legale rappresentante" in content
    assert membership.user.get_full_name() in content


def test_offerer_gets_not_found_for_another_organisation(client, login, make_tax_code):
    own = MembershipFactory(organisation=_organisation(make_tax_code))
    other = _organisation(make_tax_code, name="Fondazione Altrui")
    login(own.user)

    response = client.get(other.get_absolute_url())

    assert response.status_code == 404
    content = response.content.decode()
    assert "Pagina non trovata" in content
    assert "Fondazione Altrui" not in content


def test_ambito_staff_sees_any_organisation(client, login, make_tax_code):
    organisation = _organisation(make_tax_code, name="Parrocchia San Bassiano")
    login(UserFactory(staff=True))

    response = client.get(organisation.get_absolute_url())

    assert response.status_code == 200
    assert "Parrocchia San Bassiano" in response.content.decode()


def test_personal_area_lists_memberships_with_role_label(client, login, make_tax_code):
    membership = MembershipFactory(
        organisation=_organisation(make_tax_code, name="Associazione Abitare Insieme"),
        role=MembershipRole.DELEGATE,
    )
    login(membership.user)

    response = client.get(reverse("accounts:area"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="%s"' % membership.organisation.get_absolute_url() in content
    assert "Delegato con procura" in content
    assert 'href="%s"' % reverse("accounts:organisation_create") in content
    assert 'action="%s"' % reverse("account_logout") in content


def test_personal_area_without_organisations_shows_empty_state(client, login, offerer):
    login(offerer)

    response = client.get(reverse("accounts:area"))

    assert "Nessuna organizzazione è collegata al tuo account." in response.content.decode()


def test_social_worker_cannot_register_an_organisation(client, login):
    social_worker = UserFactory(social_worker=True)
    login(social_worker)

    area = client.get(reverse("accounts:area"))
    response = client.get(reverse("accounts:organisation_create"))

    assert 'href="%s"' % reverse("accounts:organisation_create") not in area.content.decode()
    assert response.status_code == 302
    assert response.url == reverse("accounts:area")
    assert not social_worker.has_role(Role.OFFERER)
