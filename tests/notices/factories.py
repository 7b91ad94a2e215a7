from datetime import timedelta

import factory
from django.utils import timezone

from housingmix.notices.models import FaqEntry, FaqTopic, Notice, NoticeKind, NoticeStatus


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    slug = factory.Sequence(lambda n: "avviso-di-prova-%d" % n)
    title = factory.Sequence(lambda n: "Avviso di prova %d per la manifestazione di interesse" % n)
    kind = NoticeKind.INTEREST
    act_number = factory.Sequence(lambda n: "%d/2026" % (100 + n))
    act_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
    summary = "Raccolta di manifestazioni di interesse per alloggi da destinare all'abitare in transizione."
    body = "Art. 1 - Oggetto\nL'Ambito raccoglie manifestazioni di interesse.\n\nArt. 2 - Destinatari\nEnti e privati."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    rup = "Dott.ssa Anna Bianchi"
    contact_email = "housingmix@example.org"

    class Params:
        published = factory.Trait(status=NoticeStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now))
        closed = factory.Trait(status=NoticeStatus.CLOSED, published_at=factory.LazyFunction(timezone.now))
        expired = factory.Trait(
            status=NoticeStatus.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=40)),
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=40)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )


class FaqTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqTopic
        django_get_or_create = ["name"]

    name = "Requisiti"


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry

    topic = factory.SubFactory(FaqTopicFactory)
    question = factory.Sequence(lambda n: "Domanda numero %d sulla partecipazione?" % n)
    answer = "Sì, secondo quanto previsto dall'avviso."
