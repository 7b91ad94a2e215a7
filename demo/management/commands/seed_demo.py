"""Demo data for ``make run``: one account per role and the Housing Mix notices with FAQ and PDFs.

Idempotent: running it again changes nothing that already exists.
"""

from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from demo.content import DEMO_FAQ, NOTICE_BODY, NOTICE_SUMMARY, PROGRAMME_FAQ
from housingmix.accounts.models import Membership, MembershipRole, Organisation, OrganisationType, User
from housingmix.accounts.roles import Role
from housingmix.notices import services
from housingmix.notices.models import DocumentKind, FaqEntry, FaqTopic, Notice, NoticeKind
from housingmix.territory.models import Ambito, Comune

DEMO_PASSWORD = "HousingMix-demo-2026"

DEMO_USERS = [
    ("staff@housingmix.demo", "Giulia", "Ferrari", [Role.STAFF], True),
    ("admin@housingmix.demo", "Paolo", "Marchetti", [Role.ADMINISTRATOR], True),
    ("dpo@housingmix.demo", "Elena", "Conti", [Role.DPO], True),
    ("assistente@housingmix.demo", "Chiara", "Galli", [Role.SOCIAL_WORKER], False),
    ("offerente@housingmix.demo", "Marco", "Rossi", [Role.OFFERER], False),
    ("ets@housingmix.demo", "Sara", "Colombo", [Role.ETS_OPERATOR, Role.OFFERER], False),
    ("commissione@housingmix.demo", "Luca", "Moretti", [Role.COMMISSION], False),
]
# Offerers created with the demo manifestations (demo/applications.py).
DEMO_OFFERERS = ["parrocchia@housingmix.demo", "aler@housingmix.demo"]


def _at(days: int, hour: int = 12) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


class Command(BaseCommand):
    help = "Load demo accounts and the Housing Mix notices (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            self._ambito_contacts()
            staff = self._users()
            self._organisation()
        self._notices(staff)
        from demo.applications import seed_demo_applications

        seed_demo_applications(password=DEMO_PASSWORD)
        from housingmix.portal.demo import seed_demo_portal

        seed_demo_portal()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (password: %s):" % DEMO_PASSWORD))
        for email, _first, _last, roles, _back in DEMO_USERS:
            self.stdout.write("  %-30s %s" % (email, ", ".join(str(Role(r).label) for r in roles)))
        for email in DEMO_OFFERERS:
            self.stdout.write("  %-30s %s" % (email, Role.OFFERER.label))
        self.stdout.write("Back office: /backoffice/ (staff@, admin@, dpo@)")

    def _ambito_contacts(self) -> None:
        """Demo contacts for the Ambito (example.org addresses: replace them in the admin)."""
        Ambito.objects.filter(code="lodi", email="").update(
            email="ufficiodipiano@ambito-lodi.example.org",
            pec="ufficiodipiano@pec.ambito-lodi.example.org",
            phone="0371 000000",
        )
        cache.clear()

    def _users(self) -> User:
        lodi = Comune.objects.filter(is_capofila=True).first()
        staff = None
        for email, first, last, roles, back_office in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=email, defaults={"first_name": first, "last_name": last, "is_staff": back_office}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                if Role.SOCIAL_WORKER in roles:
                    user.comune = lodi
                user.save()
                user.groups.add(*Group.objects.filter(name__in=roles))
                from allauth.account.models import EmailAddress

                EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            if Role.STAFF in roles:
                staff = user
        return staff

    def _organisation(self) -> None:
        user = User.objects.get(email="ets@housingmix.demo")
        org, _ = Organisation.objects.get_or_create(
            tax_code="01199250158",
            defaults={
                "type": OrganisationType.ETS,
                "name": "Cooperativa Sociale Casa Comune (demo)",
                "legal_form": "Cooperativa sociale di tipo A",
                "runts_number": "104233",
                "pec": "casacomune@pec.example.org",
                "address": "Via Cavour 12",
                "postcode": "26900",
                "city": "Lodi",
                "province": "LO",
            },
        )
        Membership.objects.get_or_create(
            user=user, organisation=org, defaults={"role": MembershipRole.LEGAL_REPRESENTATIVE, "office": "Presidente"}
        )

    def _notices(self, staff: User) -> None:
        if Notice.objects.filter(slug__startswith="housing-mix-manifestazione").exists():
            return
        notice = services.notice_create(
            by=staff,
            title="Housing Mix - Avviso pubblico per la raccolta di manifestazioni di interesse a mettere a disposizione alloggi",
            kind=NoticeKind.INTEREST,
            act_number="412/2026",
            act_date=timezone.localdate() - timedelta(days=12),
            summary=NOTICE_SUMMARY,
            body=NOTICE_BODY,
            opens_at=_at(-10, 9),
            closes_at=_at(35, 12),
            rup="Dott.ssa Anna Bianchi, Responsabile dell'Ufficio di Piano",
            contact_office="Ufficio di Piano dell'Ambito di Lodi",
            contact_email="housingmix@ambito-lodi.example.org",
            contact_pec="ufficiodipiano@pec.ambito-lodi.example.org",
            contact_phone="0371 000000",
        )
        notice.slug = "housing-mix-manifestazione-di-interesse-alloggi-2026"
        notice.save(update_fields=["slug"])
        topics = {}
        for order, (topic, question, answer) in enumerate(DEMO_FAQ):
            topics.setdefault(topic, FaqTopic.objects.get_or_create(name=topic, defaults={"order": len(topics)})[0])
            FaqEntry.objects.create(notice=notice, topic=topics[topic], question=question, answer=answer, order=order)
        for order, (topic, question, answer) in enumerate(PROGRAMME_FAQ):
            topics.setdefault(topic, FaqTopic.objects.get_or_create(name=topic, defaults={"order": len(topics)})[0])
            FaqEntry.objects.create(notice=None, topic=topics[topic], question=question, answer=answer, order=order)
        from housingmix.core.pdf import render_pdf

        form_pdf = render_pdf(render_to_string("notices/pdf/demo_application_form.html", {"notice": notice}))
        services.document_upload(
            notice=notice,
            kind=DocumentKind.APPLICATION_FORM,
            title="Modulo di manifestazione di interesse",
            upload=SimpleUploadedFile("modulo.pdf", form_pdf, content_type="application/pdf"),
            by=staff,
        )
        services.notice_publish(notice=notice, by=staff)
        services.faq_changed(notice=None, by=staff)

        codesign = services.notice_create(
            by=staff,
            title="Housing Mix - Avviso di co-progettazione con gli enti del Terzo settore",
            kind=NoticeKind.CODESIGN,
            act_number="455/2026",
            act_date=timezone.localdate() - timedelta(days=2),
            summary=(
                "Invito agli enti del Terzo settore a presentare proposte per co-progettare e co-gestire "
                "i servizi di accompagnamento all'abitare del programma Housing Mix (art. 55 D.Lgs. 117/2017)."
            ),
            body=(
                "Art. 1 - Oggetto\nL'Ambito avvia un procedimento di co-progettazione per le quattro linee di azione "
                "del programma Housing Mix.\n\nArt. 2 - Soggetti ammessi\nEnti del Terzo settore iscritti al RUNTS, "
                "singoli o in Associazione Temporanea di Scopo.\n\nArt. 3 - Valutazione\nLe proposte sono valutate da "
                "una commissione su una griglia di 100 punti; soglia di ammissione 60 punti."
            ),
            opens_at=_at(7, 9),
            closes_at=_at(37, 12),
            rup="Dott.ssa Anna Bianchi, Responsabile dell'Ufficio di Piano",
            contact_pec="ufficiodipiano@pec.ambito-lodi.example.org",
        )
        services.notice_publish(notice=codesign, by=staff)
