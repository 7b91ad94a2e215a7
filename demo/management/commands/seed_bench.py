"""Realistic review data for the benchmark: ``manage.py seed_bench --count 10000``.

Each manifestation has 1-3 units across the Ambito's comuni, filed attachments, a
protocol entry, an AuditEvent history, checklist rows once under review, and, depending on
its state, a request for documents, a site visit or a decision with registry entries.
Rows are written with bulk_create in batches (the services would take hours at 10,000
and do nothing the pages read differently). Run it on a throw-away database only.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from applications.models import (
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    CheckItem,
    CheckOutcome,
    Decision,
    DecisionKind,
    InfoRequest,
    ReviewCheck,
    SiteVisit,
)
from housingmix.accounts.models import User
from housingmix.accounts.roles import Role
from housingmix.core.models import AuditEvent
from housingmix.core.protocol import ProtocolCounter, ProtocolDirection, ProtocolEntry
from housingmix.notices.models import Notice, NoticeKind, NoticeStatus
from housingmix.territory.models import Comune
from properties.models import AvailabilityForm, Condition, HousingUnit, RegistryEntry

BENCH_PASSWORD = "Bench-password-2026"
STAFF_EMAIL = "bench-staff@example.org"
BATCH = 1000
# Share of manifestations per state, roughly a review half-way through.
STATES = [
    (ApplicationStatus.SUBMITTED, 20),
    (ApplicationStatus.UNDER_REVIEW, 25),
    (ApplicationStatus.INFO_REQUESTED, 15),
    (ApplicationStatus.SITE_VISIT, 10),
    (ApplicationStatus.ELIGIBLE, 15),
    (ApplicationStatus.NOTICE_OF_REFUSAL, 5),
    (ApplicationStatus.NOT_ELIGIBLE, 5),
    (ApplicationStatus.WITHDRAWN, 5),
]
PATH = {
    ApplicationStatus.SUBMITTED: [],
    ApplicationStatus.UNDER_REVIEW: ["under_review"],
    ApplicationStatus.INFO_REQUESTED: ["under_review", "info_requested"],
    ApplicationStatus.SITE_VISIT: ["under_review", "site_visit"],
    ApplicationStatus.ELIGIBLE: ["under_review", "site_visit", "eligible"],
    ApplicationStatus.NOTICE_OF_REFUSAL: ["under_review", "notice_of_refusal"],
    ApplicationStatus.NOT_ELIGIBLE: ["under_review", "notice_of_refusal", "not_eligible"],
    ApplicationStatus.WITHDRAWN: ["withdrawn"],
}
VERBS = {
    "under_review": "application.review_started",
    "info_requested": "application.info_requested",
    "site_visit": "application.site_visit_started",
    "eligible": "application.declared_eligible",
    "notice_of_refusal": "application.refusal_notified",
    "not_eligible": "application.declared_not_eligible",
    "withdrawn": "application.withdrawn",
}


class Command(BaseCommand):
    help = "Create realistic manifestations under review for the benchmark (throw-away database only)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, count: int, seed: int, **options):
        if Application.objects.exists():
            raise CommandError("The database already has manifestations: seed_bench needs an empty one.")
        rng = random.Random(seed)
        comuni = list(Comune.objects.order_by("name"))
        if not comuni:
            raise CommandError("No comuni: run migrate first.")
        with transaction.atomic():
            staff, workers, offerers = self._users(comuni)
            notice = self._notice(staff)
            self._applications(rng, count, notice, staff, workers, offerers, comuni)
        self.stdout.write("seed_bench: %d manifestations; staff login %s" % (count, STAFF_EMAIL))

    def _user(self, email, role, **extra):
        user = User(email=email, first_name=extra.pop("first_name", "Bench"), last_name=extra.pop("last_name", email))
        for key, value in extra.items():
            setattr(user, key, value)
        user.password = self._password_hash  # hashed once: PBKDF2 per user would dominate the run
        user.save()
        user.groups.add(Group.objects.get(name=role))
        return user

    def _users(self, comuni):
        from django.contrib.auth.hashers import make_password

        self._password_hash = make_password(BENCH_PASSWORD)
        staff = self._user(STAFF_EMAIL, Role.STAFF, first_name="Ufficio", last_name="di Piano", is_staff=True)
        workers = [
            self._user(
                "bench-as-%d@example.org" % i,
                Role.SOCIAL_WORKER,
                first_name="Assistente",
                last_name="Sociale %d" % i,
                comune=comuni[i % len(comuni)],
            )
            for i in range(12)
        ]
        offerers = [
            self._user("bench-of-%d@example.org" % i, Role.OFFERER, last_name="Offerente %d" % i) for i in range(50)
        ]
        return staff, workers, offerers

    def _notice(self, staff):
        now = timezone.now()
        return Notice.objects.create(
            slug="bench-manifestazioni-%d" % now.timestamp(),
            title="Housing Mix - manifestazione di interesse per alloggi (bench)",
            kind=NoticeKind.INTEREST,
            act_number="1/2026",
            act_date=now.date() - timedelta(days=60),
            summary="Avviso per il benchmark.",
            body="Testo dell'avviso.",
            opens_at=now - timedelta(days=50),
            closes_at=now + timedelta(days=30),
            rup="Dott.ssa Anna Bianchi",
            status=NoticeStatus.PUBLISHED,
            published_at=now - timedelta(days=50),
            created_by=staff,
        )

    def _applications(self, rng, count, notice, staff, workers, offerers, comuni):
        now = timezone.now()
        year = timezone.localtime(now).year
        states = [s for s, weight in STATES for _ in range(weight)]
        app_ct = ContentType.objects.get_for_model(Application)
        number = ProtocolCounter.objects.filter(year=year).values_list("last_number", flat=True).first() or 0
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            apps, protocols = [], []
            for i in range(start, start + size):
                status = rng.choice(states)
                submitted = now - timedelta(days=rng.randint(1, 45), minutes=rng.randint(0, 1440))
                number += 1
                protocols.append(
                    ProtocolEntry(
                        year=year,
                        number=number,
                        registered_at=submitted,
                        direction=ProtocolDirection.INCOMING,
                        sender="Offerente %d" % i,
                        recipient=notice.rup,
                        subject="Manifestazione di interesse",
                        sha256="%064x" % i,
                    )
                )
                assigned = rng.choice(workers) if status != ApplicationStatus.SUBMITTED else None
                apps.append(
                    Application(
                        notice=notice,
                        created_by=rng.choice(offerers),
                        status=status,
                        offerer_type=rng.choice(["person", "ets", "comune", "diocese", "private_body"]),
                        offerer_name="Offerente di prova %d" % i,
                        offerer_tax_code="%011d" % (10000000000 + i),
                        email="offerente%d@example.org" % i,
                        phone="0371 %06d" % i,
                        submitted_at=submitted,
                        package={},
                        package_sha256="%064x" % i,
                        assigned_to=assigned,
                        assigned_at=submitted + timedelta(days=1) if assigned else None,
                    )
                )
            ProtocolEntry.objects.bulk_create(protocols)
            protocols = list(ProtocolEntry.objects.filter(year=year, number__gt=number - size).order_by("number"))
            for app, entry in zip(apps, protocols, strict=True):
                app.protocol = entry
            Application.objects.bulk_create(apps)
            apps = list(Application.objects.filter(protocol__in=protocols).order_by("protocol__number"))
            ProtocolCounter.objects.update_or_create(year=year, defaults={"last_number": number})
            self._details(rng, apps, app_ct, staff, comuni, year)
            number = ProtocolCounter.objects.get(year=year).last_number
        self.stdout.write("seeded %d" % count)

    def _details(self, rng, apps, app_ct, staff, comuni, year):
        units, attachments, events, checks, requests, visits = [], [], [], [], [], []
        for app in apps:
            for position in range(1, rng.randint(1, 3) + 1):
                comune = app.assigned_to.comune if app.assigned_to and position == 1 else rng.choice(comuni)
                beds = rng.randint(1, 6)
                units.append(
                    HousingUnit(
                        application=app,
                        position=position,
                        label="Alloggio %d-%d" % (app.pk, position),
                        street="Via Roma",
                        street_number=str(rng.randint(1, 200)),
                        comune=comune,
                        postcode=(comune.postcodes or ["26900"])[0],
                        surface_m2=Decimal(rng.randint(30, 140)),
                        rooms=Decimal(rng.randint(2, 6)),
                        bedrooms=max(1, beds // 2),
                        bathrooms=1,
                        beds=beds,
                        floor=rng.randint(0, 5),
                        has_lift=rng.random() < 0.5,
                        step_free=rng.random() < 0.3,
                        condition=rng.choice(list(Condition.values)),
                        has_habitability=True,
                        availability_form=rng.choice(list(AvailabilityForm.values)),
                        monthly_rent=Decimal(rng.randint(250, 800)),
                        available_from=app.submitted_at.date() + timedelta(days=rng.randint(10, 120)),
                        duration_months=36,
                        targets=["families"],
                        co_housing=rng.random() < 0.2,
                    )
                )
            events.append(
                AuditEvent(
                    actor_id=app.created_by_id,
                    verb="application.submitted",
                    content_type=app_ct,
                    object_id=str(app.pk),
                    from_state="draft",
                    to_state="submitted",
                )
            )
            previous = "submitted"
            for state in PATH[app.status]:
                events.append(
                    AuditEvent(
                        actor_id=(app.assigned_to_id or staff.pk) if state != "withdrawn" else app.created_by_id,
                        verb=VERBS[state],
                        content_type=app_ct,
                        object_id=str(app.pk),
                        from_state=previous,
                        to_state=state,
                        reason="Motivazione di prova" if state != "under_review" else "",
                    )
                )
                previous = state
        HousingUnit.objects.bulk_create(units)
        units = list(HousingUnit.objects.filter(application__in=apps).order_by("pk"))
        by_app = {}
        for unit in units:
            by_app.setdefault(unit.application_id, []).append(unit)
        decisions, registry, protocols = [], [], []
        for app in apps:
            for unit in by_app[app.pk]:
                for kind in (AttachmentKind.CADASTRAL_SURVEY, AttachmentKind.FLOOR_PLAN, AttachmentKind.PHOTO):
                    attachments.append(
                        Attachment(
                            application=app,
                            unit=unit,
                            kind=kind,
                            file="private/bench/%d.pdf" % unit.pk,
                            filename="%s-%d.pdf" % (kind, unit.pk),
                            content_type="application/pdf",
                            size=120000,
                            sha256="%064x" % unit.pk,
                        )
                    )
                if app.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN):
                    for item in CheckItem.values:
                        checks.append(
                            ReviewCheck(
                                application=app,
                                unit=unit,
                                item=item,
                                updated_by_id=app.assigned_to_id,
                                outcome=rng.choice([CheckOutcome.OK, CheckOutcome.OK, CheckOutcome.MISSING, ""]),
                                note="Verificato sui documenti" if rng.random() < 0.3 else "",
                            )
                        )
            attachments.append(
                Attachment(
                    application=app,
                    kind=AttachmentKind.ID_DOCUMENT,
                    file="private/bench/id-%d.pdf" % app.pk,
                    filename="documento-%d.pdf" % app.pk,
                    content_type="application/pdf",
                    size=80000,
                    sha256="%064x" % app.pk,
                )
            )
            if app.status == ApplicationStatus.INFO_REQUESTED:
                overdue = rng.random() < 0.3
                requests.append(
                    InfoRequest(
                        application=app,
                        requested_by_id=app.assigned_to_id,
                        items="Planimetria aggiornata",
                        deadline=timezone.localdate() + timedelta(days=-2 if overdue else 8),
                    )
                )
            if app.status in (ApplicationStatus.SITE_VISIT, ApplicationStatus.ELIGIBLE):
                visits.append(
                    SiteVisit(
                        application=app,
                        visit_date=app.submitted_at.date() + timedelta(days=5),
                        attendees="Assistente sociale, proprietario",
                        recorded_by_id=app.assigned_to_id,
                        outcomes=[{"item": "habitability", "outcome": "ok", "note": ""}],
                        summary="Buono stato",
                    )
                )
            kind = {
                ApplicationStatus.ELIGIBLE: DecisionKind.ELIGIBLE,
                ApplicationStatus.NOTICE_OF_REFUSAL: DecisionKind.REFUSAL_NOTICE,
                ApplicationStatus.NOT_ELIGIBLE: DecisionKind.NOT_ELIGIBLE,
            }.get(app.status)
            if kind:
                decisions.append((app, kind))
        Attachment.objects.bulk_create(attachments, batch_size=2000)
        AuditEvent.objects.bulk_create(events, batch_size=2000)
        ReviewCheck.objects.bulk_create(checks, batch_size=2000)
        InfoRequest.objects.bulk_create(requests)
        SiteVisit.objects.bulk_create(visits)
        if decisions:
            counter = ProtocolCounter.objects.select_for_update().get(year=year)
            first = counter.last_number + 1
            for offset, (app, kind) in enumerate(decisions):
                protocols.append(
                    ProtocolEntry(
                        year=year,
                        number=first + offset,
                        registered_at=timezone.now(),
                        direction=ProtocolDirection.OUTGOING,
                        sender="Ufficio di Piano",
                        recipient=app.offerer_name,
                        subject=kind,
                        sha256="%064x" % app.pk,
                    )
                )
            ProtocolEntry.objects.bulk_create(protocols)
            ProtocolCounter.objects.filter(year=year).update(last_number=first + len(decisions) - 1)
            entries = {e.number: e for e in ProtocolEntry.objects.filter(year=year, number__gte=first, direction="out")}
            rows = []
            for offset, (app, kind) in enumerate(decisions):
                rows.append(
                    Decision(
                        application=app,
                        kind=kind,
                        reasons="Motivazione di prova",
                        protocol=entries[first + offset],
                        decided_by_id=app.assigned_to_id or staff.pk,
                        reply_deadline=timezone.localdate() + timedelta(days=5)
                        if kind == DecisionKind.REFUSAL_NOTICE
                        else None,
                    )
                )
                if kind == DecisionKind.ELIGIBLE:
                    for unit in by_app[app.pk]:
                        registry.append(
                            RegistryEntry(
                                unit=unit,
                                application=app,
                                comune_id=unit.comune_id,
                                available_from=unit.available_from,
                                available_until=unit.available_from + timedelta(days=1095),
                                availability_form=unit.availability_form,
                                monthly_rent=unit.monthly_rent,
                                beds=unit.beds,
                                surface_m2=unit.surface_m2,
                                step_free=bool(unit.step_free),
                                co_housing=bool(unit.co_housing),
                            )
                        )
            Decision.objects.bulk_create(rows)
            RegistryEntry.objects.bulk_create(registry, batch_size=2000)
