import factory
from django.contrib.auth.models import Group

from housingmix.accounts.models import Membership, MembershipRole, Organisation, OrganisationType, User
from housingmix.accounts.roles import Role

PASSWORD = "Una-password-robusta-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: "utente%d@example.org" % n)
    first_name = "Maria"
    last_name = factory.Sequence(lambda n: "Rossi%d" % n)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``roles=[...]`` or a trait (which sets ``roles__names``) gives the user those groups."""
        names = list(extracted or []) + list(kwargs.get("names") or [])
        if names:
            self.groups.add(*Group.objects.filter(name__in=names))

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:  # the password is set after creation: store it
            instance.save()

    class Params:
        staff = factory.Trait(is_staff=True, roles__names=[Role.STAFF])
        offerer = factory.Trait(roles__names=[Role.OFFERER])
        social_worker = factory.Trait(roles__names=[Role.SOCIAL_WORKER])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    type = OrganisationType.ETS
    name = factory.Sequence(lambda n: "Cooperativa Sociale Esempio %d" % n)
    tax_code = factory.Sequence(lambda n: _valid_vat(n))
    runts_number = "12345"
    address = "Via Roma 1"
    postcode = "26900"
    city = "Lodi"
    province = "LO"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, offerer=True)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.LEGAL_REPRESENTATIVE


def _valid_vat(n: int) -> str:
    """An 11-digit partita IVA: serial, office code 098 (Lodi), Luhn check digit."""
    from stdnum import luhn

    base = "%07d098" % (1000000 + n)
    return base + luhn.calc_check_digit(base)
