import factory
from django.utils import timezone

from housingmix.identity.models import DigitalIdentity, ProviderKind
from tests.accounts.factories import UserFactory

SPID_OP = "http://127.0.0.1:8010/oidc/op/"
CIE_OP = "http://127.0.0.1:8011/oidc/op/"


class DigitalIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigitalIdentity

    user = factory.SubFactory(UserFactory, offerer=True, tax_code=factory.SelfAttribute("..fiscal_code"))
    fiscal_code = "RSSMRA80A01E648Q"
    first_verified_at = factory.LazyFunction(timezone.now)
    last_verified_at = factory.LazyFunction(timezone.now)
    last_provider_kind = ProviderKind.SPID
    last_provider_id = SPID_OP
    last_provider_name = "SPID di prova (locale)"
    last_level = 2
