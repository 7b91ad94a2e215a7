"""Pages of the review: the reviewers' workspace (queue, manifestation, actions, dashboard)
and the offerer's small pages (requests, replies, communications, public history).

Views check permissions, call a selector or a service and render; domain errors become
form errors or messages. Other users' records answer 404.
"""

import uuid

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from housingmix.core import charts, workflow
from housingmix.core.exports import views as export_views
from housingmix.core.files import private_file_response
from housingmix.core.pagination import CappedCountPaginator

from ..models import (
    OFFERER_TYPE_CHOICES,
    OPEN_REVIEW_STATUSES,
    ApplicationStatus,
    AttachmentKind,
    CheckOutcome,
    UnitOutcomeKind,
)
from ..selectors import application_get_for_user
from ..services import communication_mark_read
from . import selectors as review_selectors
from . import services as review
from .forms import (
    AssignForm,
    ChecklistForm,
    DecisionForm,
    EligibleForm,
    InfoRequestForm,
    NoteForm,
    OffererReplyForm,
    ProposalForm,
    ReasonForm,
    SiteVisitForm,
    SiteVisitPlanForm,
    UnitOutcomesForm,
)

PAGE_SIZE = 25


def _workspace(request) -> None:
    if not rules.has_perm("applications.review_workspace", request.user):
        raise PermissionDenied


def _application(request, ref):
    _workspace(request)
    application = review_selectors.review_application_get(user=request.user, reference=ref)
    if application is None:
        raise Http404
    return application


def _querystring(request, drop=("page",)) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


_SAMPLE_REF = uuid.UUID(int=0)


def _detail_url_maker():
    """``reference -> URL of its review page`` with one reverse() per request, not one per row."""
    template = reverse("review:detail", kwargs={"ref": _SAMPLE_REF})
    return lambda reference: template.replace(str(_SAMPLE_REF), str(reference))


def _queue_rows(page) -> None:
    """Evaluate the page once, here, and give each row its labels, texts and link: the template
    prints attributes instead of rebuilding the choices (get_FOO_display), reversing, formatting
    dates and numbers and truncating per row. The texts are what the template's filters gave."""
    statuses = {value: str(label) for value, label in ApplicationStatus.choices}
    offerer_types = {value: str(label) for value, label in OFFERER_TYPE_CHOICES}
    detail_url = _detail_url_maker()
    titles: dict[int, str] = {}
    page.object_list = list(page.object_list)
    comuni = review_selectors.queue_comune_names([row.pk for row in page.object_list])
    overdue = review_selectors.queue_overdue_ids(page.object_list)
    for row in page.object_list:
        row.is_overdue = row.pk in overdue
        row.status_label = statuses.get(row.status, row.status)
        row.offerer_type_label = offerer_types.get(row.offerer_type, row.offerer_type)
        row.detail_url = detail_url(row.reference)
        row.protocol_label = "%07d/%d" % (row.protocol.number, row.protocol.year) if row.protocol_id else ""
        row.submitted_label = date_format(localtime(row.submitted_at), "d/m/Y") if row.submitted_at else ""
        if row.notice_id not in titles:
            titles[row.notice_id] = Truncator(row.notice.title).chars(60)
        row.notice_label = titles[row.notice_id]
        row.comuni_label = ", ".join(comuni.get(row.pk, ()))
        row.reviewer_label = (row.assigned_to.get_full_name() or row.assigned_to.email) if row.assigned_to_id else ""


@login_required
def queue(request):
    _workspace(request)
    filterset = review_selectors.review_queue_filterset(user=request.user, data=request.GET or None, for_export=False)
    page = CappedCountPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _queue_rows(page)
    return render(
        request,
        "review/queue.html",
        {
            "filter": filterset,
            "page_obj": page,
            "querystring": _querystring(request),
            "export_query": _querystring(request, drop=("page", "format")),
            "is_staff_view": rules.has_perm("applications.view_review_dashboard", request.user),
        },
    )


@login_required
def queue_export(request, fmt: str):
    _workspace(request)
    return export_views.export_response(request, kind="review_queue", fmt=fmt, list_url=reverse("review:exports"))


@login_required
def export_list(request):
    """The user's own exports of the last days, with their state and download links."""
    _workspace(request)
    return export_views.export_list(request)


export_download = export_views.export_download


def _attachment_url_maker(application):
    """``pk -> URL of the attachment's download`` with one reverse() per page, not one per file."""
    template = reverse("review:attachment", kwargs={"ref": application.reference, "pk": _SAMPLE_PK})
    return lambda pk: template.replace("/%d/" % _SAMPLE_PK, "/%d/" % pk)


_SAMPLE_PK = 999999999


def _detail_rows(context) -> None:
    """The labels and links of the page's lists, built once here: the template prints them
    instead of calling get_FOO_display (which rebuilds its choices each time), reversing a URL
    for every file and looking a missing check's fields up (a failed lookup raises inside the
    template engine) for every row of every checklist."""
    kinds = {value: str(label) for value, label in AttachmentKind.choices}
    outcomes = {value: str(label) for value, label in CheckOutcome.choices}
    attachment_url = _attachment_url_maker(context["application"])
    for attachment in context["attachments"]:
        attachment.kind_label = kinds.get(attachment.kind, attachment.kind)
        attachment.download_url = attachment_url(attachment.pk)
    for unit in context["units"]:
        unit.checklist_rows = [
            (label, outcomes.get(check.outcome, check.outcome) if check else "", check.note if check else "")
            for _value, label, check in unit.checklist
        ]


def _detail_context(request, application, **bound) -> dict:
    """The review page's context. Each action's form is built only when the page shows it (a
    GET builds none of the hidden ones: some compute defaults, e.g. a deadline in working days);
    a bound form that failed validation is shown as it is."""
    user = request.user
    context = review_selectors.review_detail_context(application=application)
    state = {"expected_status": application.status}
    can_review = rules.has_perm("applications.review", user, application)
    open_review = application.status in OPEN_REVIEW_STATUSES
    can_assign = rules.has_perm("applications.assign_reviewer", user, application) and (
        application.status == ApplicationStatus.SUBMITTED or open_review
    )
    actions = workflow.available(
        application,
        user,
        [
            "request_info",
            "resume_review",
            "start_site_visit",
            "declare_eligible",
            "notify_refusal",
            "reconsider",
            "declare_not_eligible",
        ],
    )
    can_record_visit = can_review and application.status in (
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.SITE_VISIT,
    )
    can_propose = (
        rules.has_perm("applications.propose_outcome", user, application)
        and not rules.has_perm("applications.decide", user, application)
        and application.status in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SITE_VISIT)
    )
    in_actions = can_review or can_record_visit  # the template's "Azioni" section

    def form(key: str, shown: bool, build):
        return bound.get(key) or (build() if shown else None)

    units = context["units"]
    context.update(
        application=application,
        can_assign=can_assign,
        can_review=can_review and open_review,
        actions=actions,
        can_record_visit=can_record_visit,
        can_propose=can_propose,
        assign_form=form(
            "assign_form",
            can_assign,
            lambda: AssignForm(
                initial=state,
                reviewers=review_selectors.reviewer_choices(),
                choices=review_selectors.reviewer_choice_list(),
                prefix="assign",
            ),
        ),
        note_form=form("note_form", can_review and open_review, lambda: NoteForm(prefix="note")),
        proposal_form=form("proposal_form", in_actions and can_propose, lambda: ProposalForm(prefix="proposal")),
        info_request_form=form(
            "info_request_form",
            in_actions and actions["request_info"],
            lambda: InfoRequestForm(initial={**state, "deadline": review.info_request_deadline()}, prefix="info"),
        ),
        resume_form=form(
            "resume_form", in_actions and actions["resume_review"], lambda: ReasonForm(initial=state, prefix="resume")
        ),
        visit_form=form(
            "visit_form", can_record_visit, lambda: SiteVisitForm(initial=state, prefix="visit", units=units)
        ),
        refusal_form=form(
            "refusal_form",
            in_actions and actions["notify_refusal"],
            lambda: DecisionForm(initial=state, prefix="refusal"),
        ),
        reconsider_form=form(
            "reconsider_form",
            in_actions and actions["reconsider"],
            lambda: ReasonForm(initial=state, prefix="reconsider"),
        ),
        eligible_form=form(
            "eligible_form",
            in_actions and actions["declare_eligible"],
            lambda: EligibleForm(initial=state, units=units, prefix="eligible"),
        ),
        not_eligible_form=form(
            "not_eligible_form",
            in_actions and actions["declare_not_eligible"],
            lambda: DecisionForm(initial=state, prefix="not_eligible"),
        ),
        plan_form=form("plan_form", can_record_visit, lambda: SiteVisitPlanForm(prefix="plan", units=units)),
        outcomes_form=bound.get("outcomes_form")
        or (
            _outcomes_form(
                application,
                units,
                user=user,
                # What the visit found wrong in a unit drafts that unit's reasons.
                initial={
                    **state,
                    **{"reasons_%d" % pk: text for pk, text in context["visit_findings"].items()},
                },
            )
            if in_actions
            else None
        ),
        checklist_forms=[
            (
                unit,
                bound.get("checklist_form")
                if bound.get("checklist_unit") == unit.pk
                else (ChecklistForm(unit=unit, prefix="unit%d" % unit.pk) if can_review and open_review else None),
            )
            for unit in units
        ],
    )
    _detail_rows(context)
    return context


def _outcomes_form(application, units, data=None, *, user=None, **kwargs):
    """The per-unit act possible in the current state, or None (no decision possible now, or
    ``user`` may not decide: the reviewer proposes, the Ufficio di Piano decides)."""
    if user is not None and not rules.has_perm("applications.decide", user, application):
        return None
    if application.status == ApplicationStatus.NOTICE_OF_REFUSAL:
        current = review_selectors.unit_outcomes_current(application)
        units = [u for u in units if not (u.pk in current and current[u.pk].outcome == UnitOutcomeKind.ELIGIBLE)]
        allowed = {UnitOutcomeKind.ELIGIBLE, UnitOutcomeKind.NOT_ELIGIBLE}
    elif application.status == ApplicationStatus.SITE_VISIT:
        allowed = {UnitOutcomeKind.ELIGIBLE, UnitOutcomeKind.REFUSAL_NOTICE}
    elif application.status == ApplicationStatus.UNDER_REVIEW:
        allowed = {UnitOutcomeKind.REFUSAL_NOTICE}
    else:
        return None
    return UnitOutcomesForm(data, units=units, allowed=allowed, prefix="outcomes", **kwargs)


@login_required
@require_POST
def outcomes(request, ref):
    application = _application(request, ref)
    form = _outcomes_form(
        application,
        application.units.select_related("comune").order_by("position", "pk"),
        request.POST,
        user=request.user,
    )
    if form is None:
        if not rules.has_perm("applications.decide", request.user, application):
            # The assigned social worker proposes; the state is not what stops them.
            messages.error(request, _("Non hai i permessi per questa operazione su questa pratica."))
        else:
            messages.error(
                request,
                _("Operazione non consentita: la manifestazione è nello stato «%(state)s».")
                % {"state": application.get_status_display()},
            )
        return redirect(application_url(application))
    return _run(
        request,
        application,
        form,
        "outcomes_form",
        lambda d: review.units_decide(
            application=application,
            by=request.user,
            reasons=d["reasons"],
            outcomes=form.outcomes(),
            expected_status=_expected(d),
        ),
        _("Esito registrato per ogni alloggio: la comunicazione è stata protocollata e inviata all'offerente."),
        anchor="#esiti",
    )


@login_required
def detail(request, ref):
    application = _application(request, ref)
    review.application_viewed(application=application, by=request.user)
    response = render(request, "review/detail.html", _detail_context(request, application))
    patch_cache_control(response, private=True, no_store=True)
    return response


def _run(request, application, form, key: str, call, success: str, anchor: str = ""):
    """Validate ``form``, run ``call(cleaned_data)``; on error re-render the page with the form."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            # A message, not a form error: the form may no longer be shown in the new state.
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, success)
            return redirect(application_url(application) + anchor)
    application = review_selectors.review_application_get(user=request.user, reference=application.reference)
    if application is None:  # no longer theirs (reassigned meanwhile)
        raise Http404
    response = render(request, "review/detail.html", _detail_context(request, application, **{key: form}))
    response.status_code = 400
    return response


def application_url(application) -> str:
    return reverse("review:detail", kwargs={"ref": application.reference})


def _expected(data) -> str | None:
    return data.get("expected_status") or None


@login_required
@require_POST
def assign(request, ref):
    application = _application(request, ref)
    form = AssignForm(request.POST, reviewers=review_selectors.reviewer_choices(), prefix="assign")
    return _run(
        request,
        application,
        form,
        "assign_form",
        lambda d: review.review_assign(
            application=application, reviewer=d["reviewer"], by=request.user, expected_status=_expected(d)
        ),
        _("Istruttoria assegnata."),
    )


@login_required
@require_POST
def checklist(request, ref, unit: int):
    application = _application(request, ref)
    units = {u.pk: u for u in review_selectors.review_units(application=application)}
    if unit not in units:
        raise Http404
    form = ChecklistForm(request.POST, unit=units[unit], prefix="unit%d" % unit)
    if form.is_valid():
        try:
            review.review_checks_save(application=application, unit=units[unit], checks=form.checks(), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Verifiche salvate."))
        return redirect(application_url(application) + "#alloggio-%d" % unit)
    response = render(
        request,
        "review/detail.html",
        _detail_context(request, application, checklist_form=form, checklist_unit=unit),
    )
    response.status_code = 400
    return response


@login_required
@require_POST
def note_add(request, ref):
    application = _application(request, ref)
    return _run(
        request,
        application,
        NoteForm(request.POST, prefix="note"),
        "note_form",
        lambda d: review.review_note_add(application=application, text=d["text"], by=request.user),
        _("Nota interna aggiunta."),
        "#note-interne",
    )


@login_required
@require_POST
def propose(request, ref):
    application = _application(request, ref)
    return _run(
        request,
        application,
        ProposalForm(request.POST, prefix="proposal"),
        "proposal_form",
        lambda d: review.outcome_propose(
            application=application, by=request.user, outcome=d["outcome"], reasons=d["reasons"]
        ),
        _("Proposta di esito registrata: la decisione spetta all'Ufficio di Piano."),
    )


@login_required
@require_POST
def info_request(request, ref):
    application = _application(request, ref)
    return _run(
        request,
        application,
        InfoRequestForm(request.POST, prefix="info"),
        "info_request_form",
        lambda d: review.info_request_create(
            application=application,
            items=d["items"],
            deadline=d["deadline"],
            by=request.user,
            expected_status=_expected(d),
        ),
        _("Richiesta di integrazione inviata all'offerente."),
    )


@login_required
@require_POST
def resume(request, ref):
    application = _application(request, ref)
    return _run(
        request,
        application,
        ReasonForm(request.POST, prefix="resume"),
        "resume_form",
        lambda d: review.review_resume(
            application=application, by=request.user, reason=d["reason"], expected_status=_expected(d)
        ),
        _("Istruttoria ripresa."),
    )


@login_required
@require_POST
def site_visit(request, ref):
    application = _application(request, ref)
    form = SiteVisitForm(
        request.POST, request.FILES, prefix="visit", units=application.units.order_by("position", "pk")
    )
    return _run(
        request,
        application,
        form,
        "visit_form",
        lambda d: review.site_visit_record(
            application=application,
            by=request.user,
            visit_date=d["visit_date"],
            attendees=d["attendees"],
            outcomes=form.outcomes(),
            summary=d["summary"],
            photos=form.photos(),
            units=form.chosen_units(),
            expected_status=_expected(d),
        ),
        _("Sopralluogo registrato."),
    )


@login_required
@require_POST
def visit_plan(request, ref):
    application = _application(request, ref)
    form = SiteVisitPlanForm(request.POST, prefix="plan", units=application.units.order_by("position", "pk"))
    return _run(
        request,
        application,
        form,
        "plan_form",
        lambda d: review.site_visit_plan(
            application=application,
            by=request.user,
            starts_at=d["starts_at"],
            units=form.chosen_units(),
            notes=d["notes"],
        ),
        _("Sopralluogo programmato: l'offerente riceve la data per e-mail, con l'appuntamento da calendario."),
    )


@login_required
@require_POST
def refusal_notice(request, ref):
    application = _application(request, ref)
    return _run(
        request,
        application,
        DecisionForm(request.POST, prefix="refusal"),
        "refusal_form",
        lambda d: review.refusal_notice_issue(
            application=application, by=request.user, reasons=d["reasons"], expected_status=_expected(d)
        ),
        _("Preavviso di diniego inviato all'offerente."),
    )


@login_required
@require_POST
def reconsider(request, ref):
    application = _application(request, ref)
    return _run(
        request,
        application,
        ReasonForm(request.POST, prefix="reconsider"),
        "reconsider_form",
        lambda d: review.review_reconsider(
            application=application, by=request.user, reason=d["reason"], expected_status=_expected(d)
        ),
        _("Istruttoria riaperta."),
    )


@login_required
@require_POST
def eligible(request, ref):
    application = _application(request, ref)
    form = EligibleForm(request.POST, units=application.units.order_by("position", "pk"), prefix="eligible")
    return _run(
        request,
        application,
        form,
        "eligible_form",
        lambda d: review.decision_eligible(
            application=application,
            by=request.user,
            reasons=d["reasons"],
            units=list(d["units"]),
            expected_status=_expected(d),
        ),
        _("Manifestazione dichiarata idonea: gli alloggi sono nel registro."),
    )


@login_required
@require_POST
def not_eligible(request, ref):
    application = _application(request, ref)
    return _run(
        request,
        application,
        DecisionForm(request.POST, prefix="not_eligible"),
        "not_eligible_form",
        lambda d: review.decision_not_eligible(
            application=application, by=request.user, reasons=d["reasons"], expected_status=_expected(d)
        ),
        _("Manifestazione dichiarata non idonea."),
    )


@login_required
def attachment(request, ref, pk: int):
    application = _application(request, ref)
    item = review_selectors.attachment_get(application=application, pk=pk)
    if item is None:
        raise Http404
    review.application_viewed(application=application, by=request.user, data={"attachment": item.pk})
    return private_file_response(
        item.file,
        filename=item.filename,
        content_type=item.content_type,
        inline=item.content_type == "application/pdf",
    )


@login_required
def visit_photo(request, ref, pk: int):
    application = _application(request, ref)
    photo = review_selectors.site_visit_photo_get(application=application, pk=pk)
    if photo is None:
        raise Http404
    review.application_viewed(application=application, by=request.user, data={"visit_photo": photo.pk})
    return private_file_response(
        photo.file, filename="sopralluogo-%d.%s" % (photo.pk, photo.content_type.split("/")[-1]),
        content_type=photo.content_type, inline=True,
    )  # fmt: skip


@login_required
def document(request, ref, pk: int):
    application = _application(request, ref)
    item = review_selectors.generated_document_get(application=application, pk=pk)
    if item is None:
        raise Http404
    review.application_viewed(application=application, by=request.user, data={"document": item.pk})
    return private_file_response(item.file, filename=item.filename, content_type="application/pdf", inline=True)


@login_required
def dashboard(request):
    if not rules.has_perm("applications.view_review_dashboard", request.user):
        raise PermissionDenied
    data = review_selectors.review_dashboard()
    return render(
        request,
        "review/dashboard.html",
        {**data, "state_chart": charts.bar_chart([(row["label"], row["count"]) for row in data["by_state"]])},
    )


# --- The offerer's pages ---------------------------------------------------------------


def _owned(request, ref):
    application = application_get_for_user(user=request.user, reference=ref)
    if (
        application is None
        or application.is_draft
        or not rules.has_perm("applications.answer_request", request.user, application)
    ):
        raise Http404
    return application


def _offerer_context(application, **bound) -> dict:
    context = review_selectors.offerer_review_context(application=application)
    context.update(
        application=application,
        integration_form=bound.get("integration_form")
        or OffererReplyForm(prefix="integration", units=context["units"]),
        observations_form=bound.get("observations_form")
        or OffererReplyForm(prefix="observations", units=context["units"]),
        can_integrate=application.status == ApplicationStatus.INFO_REQUESTED and context["open_request"] is not None,
        can_observe=application.status == ApplicationStatus.NOTICE_OF_REFUSAL and context["refusal_notice"] is not None,
    )
    return context


@login_required
def offerer_status(request, ref):
    application = _owned(request, ref)
    response = render(request, "review/offerer_status.html", _offerer_context(application))
    patch_cache_control(response, private=True, no_store=True)
    return response


def _offerer_post(request, ref, *, prefix: str, key: str, call, success: str):
    application = _owned(request, ref)
    form = OffererReplyForm(
        request.POST, request.FILES, prefix=prefix, units=application.units.order_by("position", "pk")
    )
    if form.is_valid():
        try:
            call(application, form)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, success)
            return redirect("review:offerer_status", ref=application.reference)
    application = _owned(request, ref)
    response = render(request, "review/offerer_status.html", _offerer_context(application, **{key: form}))
    response.status_code = 400
    return response


@login_required
@require_POST
def offerer_integration(request, ref):
    return _offerer_post(
        request,
        ref,
        prefix="integration",
        key="integration_form",
        call=lambda application, form: review.info_request_answer(
            application=application, by=request.user, text=form.cleaned_data["text"], uploads=form.uploads()
        ),
        success=_("Integrazione presentata e protocollata: l'istruttoria riprende."),
    )


@login_required
@require_POST
def offerer_observations(request, ref):
    return _offerer_post(
        request,
        ref,
        prefix="observations",
        key="observations_form",
        call=lambda application, form: review.refusal_reply(
            application=application, by=request.user, text=form.cleaned_data["text"], uploads=form.uploads()
        ),
        success=_("Osservazioni presentate e protocollate."),
    )


@login_required
def offerer_document(request, ref, pk: int):
    application = _owned(request, ref)
    item = review_selectors.generated_document_get(application=application, pk=pk)
    if item is None:
        raise Http404
    communication_mark_read(user=request.user, document=item)
    return private_file_response(item.file, filename=item.filename, content_type="application/pdf", inline=False)


@login_required
def offerer_visit_ics(request, ref, pk: int):
    """The planned visit as an iCalendar file, for the offerer's calendar."""
    application = _owned(request, ref)
    plan = review_selectors.visit_plan_get(application=application, pk=pk)
    if plan is None:
        raise Http404
    response = HttpResponse(review.visit_plan_ics(plan), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sopralluogo-%d.ics"' % plan.pk
    patch_cache_control(response, private=True, no_store=True)
    return response
