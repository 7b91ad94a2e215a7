import pytest
from allauth.account.models import EmailAddress

from housingmix.accounts.models import OffererKind, User
from housingmix.accounts.roles import Role
from housingmix.identity.claims import VerifiedClaims
from housingmix.identity.models import DigitalIdentity, IdentityEvent, IdentityEventKind
from housingmix.identity.oidc import LoginRefused, Provider
from housingmix.identity.services import identity_link, identity_login
from tests.accounts.factories import UserFactory
from tests.identity.factories import CIE_OP, SPID_OP

SPID = Provider("spid", SPID_OP, "SPID di prova")
CIE = Provider("cie", CIE_OP, "CIE di prova")
MARIO = VerifiedClaims(
    fiscal_code="RSSMRA80A01E648Q", given_name="Mario", family_name="Rossi", email="mario@example.org"
)

pytestmark = pytest.mark.django_db


def test_first_login_creates_an_offerer_account_filled_from_the_identity():
    user, created = identity_login(claims=MARIO, provider=SPID, level=2)
    assert created
    assert (user.first_name, user.last_name, user.email, user.tax_code) == (
        "Mario",
        "Rossi",
        "mario@example.org",
        "RSSMRA80A01E648Q",
    )
    assert user.offerer_kind == OffererKind.PERSON
    assert user.has_role(Role.OFFERER)
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    identity = DigitalIdentity.objects.get(user=user)
    assert (identity.fiscal_code, identity.last_provider_kind, identity.last_level) == ("RSSMRA80A01E648Q", "spid", 2)
    assert list(IdentityEvent.objects.filter(user=user).values_list("kind", flat=True).order_by("pk")) == [
        IdentityEventKind.ACCOUNT_CREATED,
        IdentityEventKind.LOGIN,
    ]


def test_same_fiscal_code_is_the_same_account_whatever_the_provider():
    first, _ = identity_login(claims=MARIO, provider=SPID, level=2)
    again, created = identity_login(
        claims=VerifiedClaims(
            fiscal_code=MARIO.fiscal_code, given_name="Mario", family_name="Rossi", email="other@example.org"
        ),
        provider=CIE,
        level=3,
    )
    assert again.pk == first.pk and not created
    assert User.objects.count() == 1
    identity = DigitalIdentity.objects.get()
    assert (identity.last_provider_kind, identity.last_level) == ("cie", 3)
    again.refresh_from_db()
    assert again.email == "mario@example.org"  # the login e-mail is the account's, not the provider's


def test_email_account_is_not_taken_over_by_an_identity_with_another_fiscal_code():
    owner = UserFactory(email="mario@example.org", tax_code="BNCLCU75C03C816V", offerer=True)
    with pytest.raises(LoginRefused) as refused:
        identity_login(claims=MARIO, provider=SPID, level=2)
    assert "Collega SPID o CIE" in str(refused.value.message)
    owner.refresh_from_db()
    assert owner.tax_code == "BNCLCU75C03C816V"
    assert User.objects.count() == 1
    assert not DigitalIdentity.objects.exists()
    assert not IdentityEvent.objects.exists()


def test_email_account_with_the_same_fiscal_code_is_not_linked_without_the_password():
    UserFactory(email="mario@example.org", tax_code=MARIO.fiscal_code)
    with pytest.raises(LoginRefused):
        identity_login(claims=MARIO, provider=SPID, level=2)
    assert not DigitalIdentity.objects.exists()


def test_link_after_password_login_fixes_the_verified_fiscal_code():
    user = UserFactory(email="mario@example.org", tax_code="BNCLCU75C03C816V", offerer=True)
    identity = identity_link(user=user, claims=MARIO, provider=SPID, level=2)
    user.refresh_from_db()
    assert identity.user == user
    assert user.tax_code == "RSSMRA80A01E648Q"
    assert IdentityEvent.objects.get(user=user).kind == IdentityEventKind.LINKED
    # From now on the identity leads to this account.
    same, created = identity_login(claims=MARIO, provider=CIE, level=2)
    assert same == user and not created


def test_link_refused_when_the_identity_belongs_to_another_account():
    other, _ = identity_login(claims=MARIO, provider=SPID, level=2)
    user = UserFactory(email="someone@example.org")
    with pytest.raises(LoginRefused):
        identity_link(user=user, claims=MARIO, provider=SPID, level=2)
    assert DigitalIdentity.objects.get().user == other


def test_link_refused_when_the_account_has_another_verified_code():
    user = UserFactory(email="someone@example.org")
    identity_link(user=user, claims=MARIO, provider=SPID, level=2)
    with pytest.raises(LoginRefused):
        identity_link(
            user=user,
            claims=VerifiedClaims(fiscal_code="VRDNNA85E52F205D", given_name="Anna", family_name="Verdi", email=""),
            provider=CIE,
            level=2,
        )
    assert DigitalIdentity.objects.get(user=user).fiscal_code == MARIO.fiscal_code


def test_identity_without_email_creates_nothing():
    with pytest.raises(LoginRefused):
        identity_login(
            claims=VerifiedClaims(fiscal_code=MARIO.fiscal_code, given_name="Mario", family_name="Rossi", email=""),
            provider=CIE,
            level=2,
        )
    assert not User.objects.exists()


def test_inactive_account_refused():
    user, _ = identity_login(claims=MARIO, provider=SPID, level=2)
    user.is_active = False
    user.save()
    with pytest.raises(LoginRefused):
        identity_login(claims=MARIO, provider=SPID, level=2)
