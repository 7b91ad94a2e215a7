from datetime import timedelta

import factory
from django.utils import timezone

from housingmix.portal.models import (
    AvailabilitySlot,
    Event,
    News,
    NewsKind,
    Office,
    OnlineAccess,
    Service,
    ServiceCategory,
    Topic,
    Vocabulary,
)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = "assistenza-sociale"
    name = "Assistenza sociale"
    name_en = "Social assistance"
    vocabulary = Vocabulary.MODEL


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    slug = factory.Sequence(lambda n: "ufficio-%d" % n)
    name = factory.Sequence(lambda n: "Ufficio di Piano %d" % n)
    name_en = factory.Sequence(lambda n: "Planning office %d" % n)
    street_address = "Piazza Broletto 1"
    postcode = "26900"
    city = "Lodi"
    email = factory.Sequence(lambda n: "ufficio%d@example.org" % n)
    phone = "0371 000000"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: "servizio-%d" % n)
    title = factory.Sequence(lambda n: "Mettere a disposizione un alloggio %d" % n)
    title_en = factory.Sequence(lambda n: "Offer a housing unit %d" % n)
    summary = "Come offrire un alloggio al programma."
    summary_en = "How to offer a housing unit to the programme."
    category = ServiceCategory.WELFARE
    addressed = "Privati ed enti proprietari di alloggi."
    addressed_en = "Private owners and bodies."
    how_to = "Compila il modulo online dell'avviso."
    how_to_en = "Fill in the call's online form."
    needed = "- Documento d'identità\n- Planimetria"
    needed_en = "- Identity document\n- Floor plan"
    obtained = "La ricevuta protocollata."
    obtained_en = "The protocolled receipt."
    deadlines = "Mentre l'avviso è aperto."
    deadlines_en = "While the call is open."
    access = "Online, dall'area personale."
    access_en = "Online, from the personal area."
    conditions = "Quelle dell'avviso."
    conditions_en = "Those of the call."
    online_access = OnlineAccess.NOTICE
    notice_kind = "interest"
    bookable = True
    office = factory.SubFactory(OfficeFactory)
    is_published = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create:
            self.topics.set(extracted if extracted is not None else [TopicFactory()])

    @factory.post_generation
    def booking_offices(self, create, extracted, **kwargs):
        if create and self.bookable:
            self.booking_offices.set(extracted if extracted is not None else [self.office])


class NewsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = News

    slug = factory.Sequence(lambda n: "notizia-%d" % n)
    kind = NewsKind.NEWS
    title = factory.Sequence(lambda n: "Notizia %d sul programma" % n)
    title_en = factory.Sequence(lambda n: "News %d about the programme" % n)
    summary = "Sintesi della notizia."
    body = "Testo della notizia."
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    is_published = True


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: "evento-%d" % n)
    title = factory.Sequence(lambda n: "Incontro informativo %d" % n)
    summary = "Come funziona l'avviso."
    body = "Presentazione dell'avviso ai proprietari."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5, hours=2))
    location = "Sala consiliare"
    is_published = True


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilitySlot

    office = factory.SubFactory(OfficeFactory)
    # Half-hour slots from 9:00, sixteen a day, wrapping within four weeks: however many slots the
    # suite creates before (random order), each stays inside the booking window.
    starts_at = factory.Sequence(
        lambda n: (
            (timezone.now() + timedelta(days=2 + (n // 16) % 28)).replace(hour=9, minute=0, second=0, microsecond=0)
            + timedelta(minutes=30 * (n % 16))
        )
    )
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + timedelta(minutes=30))
