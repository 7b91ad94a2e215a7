"""Pick the notice whose detail page and PDF are measured; create demo data if there is none.

Run by bench/run.py as ``python -m bench.fixture OUT.json`` with the bench environment
(bench.common.bench_env): it writes {"slug": ..., "source": ...} to OUT.json.

Normally ``manage.py seed_demo`` has already created the Housing Mix notice with its FAQ
and PDFs. While that command does not exist, the data is created here through the same
services the back office uses (notice_create, notice_publish), so the PDFs are rendered
and the pages show what they would show in production.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

import django

# A realistic body: the PDF and the detail page are measured on a notice of normal length.
_ARTICLES = [
    ("Oggetto", "L'Ambito raccoglie manifestazioni di interesse di proprietari e enti per alloggi da destinare"),
    ("Destinatari", "Possono partecipare persone fisiche, enti del terzo settore e imprese proprietarie di alloggi"),
    ("Requisiti degli alloggi", "Gli alloggi devono essere agibili, arredati e situati nei comuni dell'Ambito"),
    ("Durata", "Gli accordi hanno durata di dodici mesi, rinnovabili una volta per uguale periodo"),
    ("Contributi", "L'Ambito riconosce un contributo mensile e una garanzia sui danni e sulla morosità"),
    ("Modalità di partecipazione", "La manifestazione si presenta con il modulo allegato firmato digitalmente"),
    ("Istruttoria", "Le manifestazioni sono esaminate in ordine di arrivo da una commissione nominata"),
    ("Trattamento dei dati", "I dati sono trattati per la sola finalità dell'avviso, secondo il GDPR"),
]
_FAQ = [
    ("Requisiti", "Chi può presentare la manifestazione di interesse?", "Le persone e gli enti indicati all'art. 2."),
    ("Requisiti", "L'alloggio deve essere arredato?", "Sì, con gli arredi essenziali indicati all'art. 3."),
    ("Requisiti", "Posso proporre più alloggi?", "Sì, con un modulo per ciascun alloggio."),
    ("Contributi", "Quando è versato il contributo?", "Ogni mese, dopo la firma dell'accordo."),
    ("Contributi", "La garanzia copre la morosità?", "Sì, entro i limiti indicati all'art. 5."),
    ("Presentazione", "Come si firma il modulo?", "Con firma digitale o con firma autografa e documento."),
]
_OTHER_TITLES = [
    "Co-progettazione di servizi di accompagnamento all'abitare",
    "Manifestazione di interesse per alloggi temporanei",
    "Avviso per enti del terzo settore: housing sociale",
]


def _body() -> str:
    parts = []
    for n, (heading, text) in enumerate(_ARTICLES, start=1):
        paragraph = " ".join([text + "."] + ["Si applicano le disposizioni dell'art. %d." % n] * 6)
        parts.append("Art. %d - %s\n%s" % (n, heading, paragraph))
    return "\n\n".join(parts)


def _bench_user():
    from housingmix.accounts.models import User

    user = User.objects.filter(email="bench@example.invalid").first()
    return user or User.objects.create_superuser("bench@example.invalid", password=None)


def _create_notice(*, title: str, number: int, with_faq: bool):
    from django.utils import timezone

    from housingmix.notices.models import FaqEntry, FaqTopic, NoticeKind
    from housingmix.notices.services import notice_create, notice_publish

    user = _bench_user()
    now = timezone.now()
    notice = notice_create(
        by=user,
        title=title,
        kind=NoticeKind.INTEREST,
        act_number="%d/2026" % (100 + number),
        act_date=timezone.localdate() - timedelta(days=7),
        summary="Raccolta di manifestazioni di interesse per alloggi destinati all'abitare in transizione.",
        body=_body(),
        opens_at=now - timedelta(days=number + 1),
        closes_at=now + timedelta(days=45),
        rup="Dott.ssa Anna Bianchi",
        contact_office="Ufficio di Piano",
        contact_email="housingmix@example.org",
    )
    if with_faq:
        for order, (topic, question, answer) in enumerate(_FAQ):
            FaqEntry.objects.create(
                notice=notice,
                topic=FaqTopic.objects.get_or_create(name=topic)[0],
                question=question,
                answer=answer,
                order=order,
            )
    # Publishing queues the notice and FAQ PDFs; without a broker they render in-process.
    return notice_publish(notice=notice, by=user)


def _create_demo_data():
    main = _create_notice(title="Housing Mix - Manifestazione di interesse per alloggi", number=0, with_faq=True)
    for number, title in enumerate(_OTHER_TITLES, start=1):
        _create_notice(title=title, number=number, with_faq=False)
    return main


def _pick_notice():
    """The Housing Mix notice if there is one, else the public notice with the most FAQ."""
    from django.db.models import Count

    from housingmix.notices.selectors import notice_list_public

    public = notice_list_public().annotate(faq_count=Count("faq")).order_by("-faq_count", "-opens_at", "-pk")
    return public.filter(title__icontains="housing mix").first() or public.first()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bench.fixture OUT.json", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "housingmix.settings")
    django.setup()
    notice, source = _pick_notice(), "existing data"
    if notice is None:
        notice, source = _create_demo_data(), "created by bench.fixture"
    Path(argv[1]).write_text(json.dumps({"slug": notice.slug, "source": source}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
