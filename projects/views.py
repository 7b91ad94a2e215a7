"""Pages of co-design: staff manage calls, ETS draft and submit proposals, the commission
declares and scores, the table approves minutes, staff sign agreements, ETS report.

Each page loads its record and asks the same ``rules`` permission the service checks; a record
the user may not see is a plain 404 (no hint that it exists).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from housingmix.accounts.models import Organisation, OrganisationType, User
from housingmix.core import audit, drafts, workflow
from housingmix.core.documents import documents_of
from housingmix.core.files import private_file_response
from housingmix.core.pagination import CappedCountPaginator

from . import forms, selectors, services
from .models import (
    ActionLine,
    Agreement,
    AgreementStatus,
    CallStatus,
    CodesignCall,
    FinalProject,
    GeneratedKind,
    ParticipantSide,
    Proposal,
    ProposalStatus,
    Report,
    ReportStatus,
    SessionStatus,
    TableSession,
)
from .steps import STEP_SLUGS, STEPS

PAGE_SIZE = 20


def _errors(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error) or _("Non hai i permessi per questa operazione."))


def _need(request, permission: str, obj=None) -> None:
    import rules

    if not rules.has_perm(permission, request.user, obj):
        raise Http404


def _page(request, queryset):
    return CappedCountPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _form_page(request, form, *, title: str, back: str, submit: str, intro: str = ""):
    return render(
        request,
        "projects/form_page.html",
        {"form": form, "title": title, "back": back, "submit": submit, "intro": intro},
    )


# --- Public -------------------------------------------------------------------------------


def call_public(request, pk):
    """The call's public page: objectives, resources, grid and, once published, the ranking."""
    call = get_object_or_404(CodesignCall.objects.select_related("notice", "ranking_protocol"), pk=pk)
    if call.status == CallStatus.DRAFT:
        raise Http404
    from .documents import ranking_rows

    ranked = call.status == CallStatus.RANKED
    ranking_pdf = documents_of(call, kinds=[GeneratedKind.RANKING]).first() if ranked else None
    return render(
        request,
        "projects/call_public.html",
        {
            "call": call,
            "criteria": selectors.top_criteria(call),
            "rows": ranking_rows(call=call) if ranked else [],
            "ranking_pdf": ranking_pdf,
            "action_lines": [label for value, label in ActionLine.choices if value in call.action_lines],
        },
    )


def ranking_pdf(request, pk, doc):
    call = get_object_or_404(CodesignCall, pk=pk, status=CallStatus.RANKED)
    document = get_object_or_404(documents_of(call, kinds=[GeneratedKind.RANKING]), pk=doc)
    return private_file_response(document.file, filename=document.filename, content_type="application/pdf")


# --- Staff: calls --------------------------------------------------------------------------


@login_required
def call_list(request):
    _need(request, "projects.manage_call")
    return render(request, "projects/call_list.html", {"page_obj": _page(request, selectors.calls_list())})


@login_required
def call_create(request):
    _need(request, "projects.manage_call")
    form = forms.CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        notice = data.pop("notice")
        try:
            call = services.call_create(notice=notice, by=request.user, **data)
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, _("Avviso di co-progettazione creato con la griglia predefinita."))
            return redirect("projects:call_manage", pk=call.pk)
    return _form_page(
        request, form, title=_("Nuovo avviso di co-progettazione"), back=reverse("projects:call_list"), submit=_("Crea")
    )


@login_required
def call_manage(request, pk):
    call = get_object_or_404(CodesignCall.objects.select_related("notice", "commission_protocol"), pk=pk)
    _need(request, "projects.manage_call", call)
    status = selectors.scoring_status(call=call) if call.status == CallStatus.EVALUATION else {}
    proposals = _page(request, selectors.proposals_for_call(call=call))
    for proposal in proposals:
        proposal.scoring = status.get(proposal.pk)
        proposal.to_check = proposal.status == ProposalStatus.SUBMITTED
        proposal.to_project = proposal.status == ProposalStatus.RANKED and not hasattr(proposal, "final_project")
    return render(
        request,
        "projects/call_manage.html",
        {
            "call": call,
            "criteria": list(call.criteria.all()),
            "page_obj": proposals,
            "commission": call.commission.select_related("user"),
            "sessions": call.sessions.all(),
            "projects": call.projects.select_related("proposal__organisation"),
            "actions": workflow.available(call, request.user, ["publish", "start_evaluation", "publish_ranking"]),
            "complete": call.status == CallStatus.EVALUATION and selectors.call_scoring_complete(call=call),
            "appoint_form": forms.AppointForm() if not call.commission_protocol_id else None,
            "history": audit.history(call, public_only=False, limit=20),
            "ranked": call.status == CallStatus.RANKED,
        },
    )


@login_required
@require_POST
def call_action(request, pk, action):
    call = get_object_or_404(CodesignCall, pk=pk)
    _need(request, "projects.manage_call", call)
    run = {
        "publish": services.call_publish,
        "start_evaluation": services.call_start_evaluation,
        "publish_ranking": services.ranking_publish,
    }.get(action)
    if run is None:
        raise Http404
    try:
        run(call=call, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("Operazione eseguita."))
    return redirect("projects:call_manage", pk=call.pk)


@login_required
@require_POST
def commission_appoint(request, pk):
    call = get_object_or_404(CodesignCall, pk=pk)
    _need(request, "projects.manage_call", call)
    form = forms.AppointForm(request.POST)
    if form.is_valid():
        emails = [e.strip().lower() for e in form.cleaned_data["emails"].splitlines() if e.strip()]
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        missing = [e for e in emails if e not in users]
        if missing:
            messages.error(request, _("Nessun account con queste e-mail: %(list)s.") % {"list": ", ".join(missing)})
        else:
            members = [users[e] for e in emails]
            try:
                services.commission_appoint(
                    call=call,
                    by=request.user,
                    act_number=form.cleaned_data["act_number"],
                    act_date=form.cleaned_data["act_date"],
                    members=members,
                    president=members[0],
                )
            except (ValidationError, PermissionDenied) as error:
                _errors(request, error)
            else:
                messages.success(request, _("Commissione nominata e atto protocollato."))
    else:
        messages.error(request, _("Compila tutti i campi della nomina."))
    return redirect("projects:call_manage", pk=call.pk)


@login_required
def proposal_admissibility(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("call__notice", "organisation"), pk=pk)
    _need(request, "projects.check_admissibility", proposal)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_admissibility(
                proposal=proposal,
                by=request.user,
                admitted="admit" in request.POST,
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, _("Esito dell'ammissibilità registrato."))
            return redirect("projects:call_manage", pk=proposal.call_id)
    return render(request, "projects/proposal_admissibility.html", {"proposal": proposal, "form": form})


# --- ETS: proposals ---------------------------------------------------------------------------


@login_required
def proposal_list(request):
    _need(request, "projects.start_proposal")
    open_calls = [
        c for c in CodesignCall.objects.filter(status=CallStatus.PUBLISHED).select_related("notice") if c.notice.is_open
    ]
    return render(
        request,
        "projects/proposal_list.html",
        {"page_obj": _page(request, selectors.proposals_for_user(user=request.user)), "open_calls": open_calls},
    )


@login_required
def proposal_start(request, call):
    _need(request, "projects.start_proposal")
    call = get_object_or_404(CodesignCall.objects.select_related("notice"), pk=call, status=CallStatus.PUBLISHED)
    organisations = Organisation.objects.filter(memberships__user=request.user, type=OrganisationType.ETS)
    form = forms.StartProposalForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_start(call=call, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            return redirect("projects:proposal_step", pk=proposal.pk, step="body")
    return _form_page(
        request,
        form,
        title=_("Nuova proposta: %(title)s") % {"title": call.notice.title},
        back=reverse("projects:proposal_list"),
        submit=_("Inizia la bozza"),
    )


def _proposal(request, pk) -> Proposal:
    proposal = Proposal.objects.select_related("call__notice", "organisation", "protocol").filter(pk=pk).first()
    if proposal is None:
        raise Http404
    _need(request, "projects.view_proposal", proposal)
    return proposal


def _step_context(proposal: Proposal, step: str) -> dict:
    missing = services.proposal_missing_items(proposal=proposal)
    urls = {s: reverse("projects:proposal_step", kwargs={"pk": proposal.pk, "step": s}) for s in STEP_SLUGS}
    steps = drafts.step_indicator(STEPS, current=step, missing=missing, urls=urls, final="summary")
    return {
        "proposal": proposal,
        "steps": steps,
        "step": step,
        "step_number": STEP_SLUGS.index(step) + 1,
        "missing": missing,
        "members": proposal.members.select_related("organisation"),
        "actions_list": proposal.actions.all(),
        "budget_lines": proposal.budget_lines.all(),
        "totals": selectors.proposal_budget_totals(proposal=proposal),
        "next_step": STEP_SLUGS[STEP_SLUGS.index(step) + 1] if step != "summary" else "",
    }


@login_required
def proposal_step(request, pk, step):
    if step not in STEP_SLUGS:
        raise Http404
    proposal = _proposal(request, pk)
    if not proposal.is_draft or not request.user.has_perm("projects.edit_proposal", proposal):
        return redirect("projects:proposal_detail", pk=proposal.pk)
    form_class = {
        "body": forms.BodyForm,
        "declarations": forms.DeclarationsForm,
        "actions": forms.ActionForm,
        "budget": forms.BudgetLineForm,
        "summary": forms.ConfirmForm,
    }[step]
    initial = {name: getattr(proposal, name) for name in services.PROPOSAL_FIELDS}
    form = form_class(request.POST or None, initial=initial if step in ("body", "declarations") else None)
    member_form = forms.MemberForm(prefix="member") if step == "body" and proposal.is_grouping else None
    if request.method == "POST":
        try:
            if "add_member" in request.POST and proposal.is_grouping:
                member_form = forms.MemberForm(request.POST, prefix="member")
                if member_form.is_valid():
                    organisation = Organisation.objects.filter(tax_code=member_form.cleaned_data["tax_code"]).first()
                    if organisation is None:
                        raise ValidationError(_("Nessun ente registrato con questo codice fiscale."))
                    services.proposal_member_add(
                        proposal=proposal,
                        by=request.user,
                        organisation=organisation,
                        role=member_form.cleaned_data["role"],
                    )
                    messages.success(request, _("Ente aggiunto: deve confermare l'adesione dal proprio account."))
                    return redirect(request.path)
            elif form.is_valid():
                if step in ("body", "declarations"):
                    services.proposal_update(proposal=proposal, by=request.user, fields=form.cleaned_data)
                elif step == "actions":
                    data = dict(form.cleaned_data)
                    services.proposal_action_save(proposal=proposal, by=request.user, line=data.pop("line"), **data)
                elif step == "budget":
                    services.budget_line_add(proposal=proposal, by=request.user, **form.cleaned_data)
                elif step == "summary":
                    proposal = services.proposal_submit(proposal=proposal, by=request.user)
                    messages.success(
                        request,
                        _("Proposta presentata: protocollo n. %(number)s. La ricevuta arriva anche per e-mail.")
                        % {"number": proposal.protocol.display_number},
                    )
                    return redirect("projects:proposal_detail", pk=proposal.pk)
                messages.success(request, _("Bozza salvata."))
                if "next" in request.POST and step in ("body", "declarations"):
                    return redirect(
                        "projects:proposal_step", pk=proposal.pk, step=STEP_SLUGS[STEP_SLUGS.index(step) + 1]
                    )
                return redirect(request.path)
        except services.SubmissionIncomplete as error:
            messages.error(request, _("La proposta non è completa: vedi gli elementi mancanti."))
            context = _step_context(proposal, step)
            context.update(form=form, missing=error.items)
            return render(request, "projects/proposal_step.html", context, status=200)
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
    context = _step_context(proposal, step)
    context.update(form=form, member_form=member_form)
    return render(request, "projects/proposal_step.html", context)


@login_required
def proposal_detail(request, pk):
    proposal = _proposal(request, pk)
    is_party = (
        request.user.has_perm("projects.edit_proposal", proposal)
        or proposal.members.filter(organisation__memberships__user=request.user).exists()
    )
    documents = (
        documents_of(proposal, kinds=[GeneratedKind.RECEIPT])
        if is_party or request.user.has_perm("projects.manage_call", proposal.call)
        else []
    )
    to_confirm = [
        m
        for m in proposal.members.select_related("organisation")
        if m.confirmed_at is None and request.user.has_perm("projects.confirm_membership", m)
    ]
    return render(
        request,
        "projects/proposal_detail.html",
        {
            "proposal": proposal,
            "members": proposal.members.select_related("organisation"),
            "actions_list": proposal.actions.all(),
            "budget_lines": proposal.budget_lines.all(),
            "totals": selectors.proposal_budget_totals(proposal=proposal),
            "documents": documents,
            "to_confirm": to_confirm,
            "history": audit.history(proposal, public_only=not request.user.has_perm("projects.manage_call")),
        },
    )


@login_required
@require_POST
def member_confirm(request, pk, member):
    proposal = _proposal(request, pk)
    member = get_object_or_404(proposal.members, pk=member)
    try:
        services.proposal_member_confirm(member=member, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("Adesione al raggruppamento confermata."))
    return redirect("projects:proposal_detail", pk=proposal.pk)


@login_required
def proposal_document(request, pk, doc):
    proposal = _proposal(request, pk)
    allowed = [GeneratedKind.RECEIPT]
    if request.user.has_perm("projects.view_all_scores", proposal):
        allowed.append(GeneratedKind.SCORE_SHEET)
    document = get_object_or_404(documents_of(proposal, kinds=allowed), pk=doc)
    return private_file_response(document.file, filename=document.filename, content_type="application/pdf")


# --- Commission ------------------------------------------------------------------------------


@login_required
def commission_home(request):
    seats = request.user.commission_seats.select_related("call__notice")
    if not seats:
        raise Http404
    calls = []
    for seat in seats:
        declarations = {d.proposal_id: d.has_conflict for d in seat.declarations.all()}
        scored = set(seat.scores.values_list("proposal_id", flat=True))
        proposals = list(
            Proposal.objects.filter(call=seat.call, status=ProposalStatus.ADMITTED).select_related("protocol")
        )
        for p in proposals:
            p.declared = p.pk in declarations
            p.conflict = declarations.get(p.pk)
            p.scored = p.pk in scored
        calls.append({"call": seat.call, "proposals": proposals})
    return render(request, "projects/commission_home.html", {"calls": calls})


def _commission_proposal(request, pk) -> Proposal:
    proposal = Proposal.objects.select_related("call__notice", "protocol").filter(pk=pk).first()
    if proposal is None:
        raise Http404
    _need(request, "projects.declare_conflict", proposal)
    return proposal


@login_required
def conflict_declare(request, pk):
    """The declaration comes first: the proposal's content is not shown on this page."""
    proposal = _commission_proposal(request, pk)
    form = forms.ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(proposal=proposal, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, _("Dichiarazione registrata."))
            if not form.cleaned_data["has_conflict"]:
                return redirect("projects:score", pk=proposal.pk)
            return redirect("projects:commission_home")
    return _form_page(
        request,
        form,
        title=_("Dichiarazione sul conflitto di interessi - prot. n. %(number)s")
        % {"number": proposal.protocol.display_number},
        back=reverse("projects:commission_home"),
        submit=_("Rendi la dichiarazione"),
        intro=_("Prima di vedere la proposta dichiara se hai un conflitto di interessi con l'ente che la presenta."),
    )


@login_required
def score(request, pk):
    proposal = _commission_proposal(request, pk)
    if not request.user.has_perm("projects.score", proposal):
        messages.error(request, _("Non puoi valutare questa proposta: dichiara prima l'assenza di conflitti."))
        return redirect("projects:commission_home")
    seat = proposal.call.commission.get(user=request.user)
    leaves = selectors.leaf_criteria(proposal.call)
    mine = {s.criterion_id: s for s in seat.scores.filter(proposal=proposal)}
    initial = {}
    for c in leaves:
        if c.pk in mine:
            initial["points_%d" % c.pk], initial["reason_%d" % c.pk] = mine[c.pk].points, mine[c.pk].reason
    form = forms.ScoreForm(request.POST or None, criteria=leaves, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scores_record(proposal=proposal, by=request.user, scores=form.scores())
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, _("Valutazione registrata."))
            return redirect("projects:commission_home")
    return render(
        request,
        "projects/score.html",
        {
            "proposal": proposal,
            "form": form,
            "actions_list": proposal.actions.all(),
            "budget_lines": proposal.budget_lines.all(),
            "totals": selectors.proposal_budget_totals(proposal=proposal),
            "all_scores": proposal.scores.select_related("member__user", "criterion")
            if request.user.has_perm("projects.view_all_scores", proposal)
            else None,
        },
    )


# --- Table -----------------------------------------------------------------------------------


@login_required
def session_create(request, pk):
    call = get_object_or_404(CodesignCall.objects.select_related("notice"), pk=pk)
    _need(request, "projects.manage_call", call)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        participants = [(request.user, ParticipantSide.PUBLIC, None)]
        for proposal in call.proposals.filter(status=ProposalStatus.RANKED).select_related("organisation"):
            for membership in proposal.organisation.memberships.select_related("user"):
                participants.append((membership.user, ParticipantSide.ETS, proposal.organisation))
        try:
            session = services.session_schedule(
                call=call, by=request.user, participants=participants, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, _("Seduta convocata: i partecipanti ricevono l'invito per e-mail."))
            return redirect("projects:session_detail", pk=session.pk)
    return _form_page(
        request,
        form,
        title=_("Convoca una seduta del tavolo"),
        back=reverse("projects:call_manage", kwargs={"pk": call.pk}),
        submit=_("Convoca"),
    )


@login_required
def session_detail(request, pk):
    session = get_object_or_404(TableSession.objects.select_related("call__notice", "minutes_protocol"), pk=pk)
    _need(request, "projects.view_session", session)
    can_run = request.user.has_perm("projects.run_table", session)
    form = forms.MinutesForm(request.POST or None, initial={"minutes": session.minutes})
    if request.method == "POST":
        try:
            if "hold" in request.POST:
                services.session_hold(session=session, by=request.user)
            elif "approve" in request.POST:
                services.minutes_approve(session=session, by=request.user)
            elif form.is_valid():
                services.session_minutes_write(session=session, by=request.user, minutes=form.cleaned_data["minutes"])
            messages.success(request, _("Operazione eseguita."))
            return redirect("projects:session_detail", pk=session.pk)
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
    participants = session.participants.select_related("user", "organisation")
    me = next((p for p in participants if p.user_id == request.user.pk), None)
    return render(
        request,
        "projects/session_detail.html",
        {
            "session": session,
            "participants": participants,
            "form": form if can_run else None,
            "can_run": can_run,
            "can_reschedule": can_run and session.status == SessionStatus.SCHEDULED,
            "actions": workflow.available(session, request.user, ["hold"]),
            "can_approve": me is not None and me.approved_at is None and session.status == SessionStatus.MINUTES_DRAFT,
            "can_write_minutes": can_run and session.status in (SessionStatus.HELD, SessionStatus.MINUTES_DRAFT),
            "documents": documents_of(session, kinds=[GeneratedKind.MINUTES]),
        },
    )


def _scheduled_session(request, pk) -> TableSession:
    session = get_object_or_404(TableSession.objects.select_related("call__notice"), pk=pk)
    _need(request, "projects.run_table", session)
    return session


@login_required
def session_move(request, pk):
    """Staff move a scheduled session; the participants receive the updated invitation."""
    session = _scheduled_session(request, pk)
    back = reverse("projects:session_detail", kwargs={"pk": session.pk})
    if session.status != SessionStatus.SCHEDULED:
        messages.error(request, _("Si sposta solo una seduta ancora da svolgere."))
        return redirect(back)
    form = forms.SessionMoveForm(
        request.POST or None,
        initial={
            "starts_at": timezone.localtime(session.starts_at),
            "place": session.place,
            "online_link": session.online_link,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_move(session=session, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, _("Seduta spostata: i partecipanti ricevono l'invito aggiornato per e-mail."))
            return redirect(back)
    return _form_page(
        request,
        form,
        title=_("Sposta la seduta"),
        back=back,
        submit=_("Sposta e avvisa i partecipanti"),
        intro=_("I partecipanti ricevono un'e-mail con l'appuntamento aggiornato per il calendario."),
    )


@login_required
def session_cancel(request, pk):
    """Staff cancel a scheduled session; the participants receive the cancellation."""
    session = _scheduled_session(request, pk)
    back = reverse("projects:session_detail", kwargs={"pk": session.pk})
    if session.status != SessionStatus.SCHEDULED:
        messages.error(request, _("Si annulla solo una seduta ancora da svolgere."))
        return redirect(back)
    form = forms.SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, by=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, _("Seduta annullata: i partecipanti ricevono l'annullamento per e-mail."))
            return redirect(back)
    return _form_page(
        request,
        form,
        title=_("Annulla la seduta"),
        back=back,
        submit=_("Annulla la seduta e avvisa i partecipanti"),
    )


@login_required
def session_document(request, pk, doc):
    session = get_object_or_404(TableSession, pk=pk)
    _need(request, "projects.view_session", session)
    document = get_object_or_404(documents_of(session, kinds=[GeneratedKind.MINUTES]), pk=doc)
    return private_file_response(document.file, filename=document.filename, content_type="application/pdf")


# --- Final project, agreement, reports ---------------------------------------------------------


@login_required
@require_POST
def project_create(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    _need(request, "projects.manage_call", proposal.call)
    try:
        project = services.project_create(proposal=proposal, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
        return redirect("projects:call_manage", pk=proposal.call_id)
    return redirect("projects:project_detail", pk=project.pk)


@login_required
def project_detail(request, pk):
    try:
        project = selectors.project_with_versions(pk=pk)
    except FinalProject.DoesNotExist:
        raise Http404 from None
    _need(request, "projects.view_project", project)
    agreement = Agreement.objects.filter(project=project).first()
    is_staff = request.user.has_perm("projects.manage_agreement")
    current = project.current
    lines = dict(ActionLine.choices)
    proposed = {a.line: a for a in project.proposal.actions.all()}
    comparison = [
        {
            "line": lines.get(row["line"], row["line"]),
            "proposed": proposed.get(row["line"]).activities if row["line"] in proposed else "",
            "final": row["activities"],
            "changed": row["line"] not in proposed or proposed[row["line"]].activities != row["activities"],
            "public": row["public_amount"],
            "ets": row["ets_amount"],
        }
        for row in current.lines
    ]
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "current": current,
            "versions": project.versions.all(),
            "comparison": comparison,
            "totals": selectors.proposal_budget_totals(proposal=project.proposal),
            "agreement": agreement,
            "is_staff": is_staff,
            "agreement_form": forms.AgreementForm()
            if is_staff and (agreement is None or agreement.status == AgreementStatus.DRAFT)
            else None,
            "upload_form": forms.SignedUploadForm()
            if is_staff and agreement and agreement.status == AgreementStatus.DRAFT
            else None,
            "agreement_actions": workflow.available(agreement, request.user, ["activate", "close"])
            if agreement
            else {},
            "agreement_documents": documents_of(agreement, kinds=[GeneratedKind.AGREEMENT]) if agreement else [],
            "reports": _page(request, selectors.reports_for_project(project=project)),
            "progress": selectors.indicator_progress(project=project),
            "can_report": request.user.has_perm("projects.start_report", project)
            and agreement is not None
            and agreement.status == AgreementStatus.ACTIVE,
            "report_form": forms.ReportStartForm(),
        },
    )


@login_required
@require_POST
def agreement_action(request, pk, action):
    project = get_object_or_404(FinalProject, pk=pk)
    _need(request, "projects.manage_agreement")
    agreement = Agreement.objects.filter(project=project).first()
    try:
        if action == "draft":
            form = forms.AgreementForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Indica le date di inizio e fine."))
            services.agreement_create(project=project, by=request.user, **form.cleaned_data)
        elif agreement is None:
            raise Http404
        elif action == "sign":
            form = forms.SignedUploadForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError(_("Scegli il file della convenzione firmata."))
            services.agreement_sign(agreement=agreement, by=request.user, upload=form.cleaned_data["file"])
        elif action == "activate":
            services.agreement_activate(agreement=agreement, by=request.user)
        elif action == "close":
            services.agreement_close(agreement=agreement, by=request.user)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("Operazione eseguita."))
    return redirect("projects:project_detail", pk=project.pk)


@login_required
def agreement_document(request, pk, doc):
    project = get_object_or_404(FinalProject, pk=pk)
    _need(request, "projects.view_project", project)
    agreement = get_object_or_404(Agreement, project=project)
    document = get_object_or_404(documents_of(agreement, kinds=[GeneratedKind.AGREEMENT]), pk=doc)
    return private_file_response(document.file, filename=document.filename, content_type="application/pdf")


@login_required
@require_POST
def report_create(request, pk):
    project = get_object_or_404(FinalProject, pk=pk)
    _need(request, "projects.view_project", project)
    form = forms.ReportStartForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Indica il periodo rendicontato."))
        report = services.report_create(project=project, by=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
        return redirect("projects:project_detail", pk=project.pk)
    return redirect("projects:report_detail", pk=report.pk)


@login_required
def report_detail(request, pk):
    report = Report.objects.select_related("project__proposal", "protocol").filter(pk=pk).first()
    if report is None:
        raise Http404
    _need(request, "projects.view_report", report)
    can_edit = request.user.has_perm("projects.edit_report", report)
    can_review = request.user.has_perm("projects.review_report", report)
    form = forms.ReportForm(request.POST or None, initial={"activities": report.activities, "hours": report.hours})
    cost_form = forms.ReportCostForm(prefix="cost")
    back_form = forms.SendBackForm(prefix="back")
    progress = selectors.indicator_progress(project=report.project, report=report)
    indicator_form = forms.IndicatorValuesForm(prefix="ind", rows=progress)
    if request.method == "POST":
        try:
            if "save" in request.POST and form.is_valid():
                services.report_update(report=report, by=request.user, **form.cleaned_data)
            elif "save_indicators" in request.POST:
                indicator_form = forms.IndicatorValuesForm(request.POST, prefix="ind", rows=progress)
                if not indicator_form.is_valid():
                    raise ValidationError(_("Controlla i valori degli indicatori."))
                services.report_indicators_set(report=report, by=request.user, values=indicator_form.values())
            elif "add_cost" in request.POST:
                cost_form = forms.ReportCostForm(request.POST, request.FILES, prefix="cost")
                if not cost_form.is_valid():
                    raise ValidationError(_("Controlla i dati del costo."))
                services.report_cost_add(report=report, by=request.user, **cost_form.cleaned_data)
            elif "submit" in request.POST:
                services.report_submit(report=report, by=request.user)
            elif "approve" in request.POST:
                services.report_approve(report=report, by=request.user)
            elif "send_back" in request.POST:
                back_form = forms.SendBackForm(request.POST, prefix="back")
                if not back_form.is_valid():
                    raise ValidationError(_("Indica che cosa va modificato."))
                services.report_send_back(report=report, by=request.user, notes=back_form.cleaned_data["notes"])
            else:
                raise ValidationError(_("Controlla i dati inseriti."))
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, _("Operazione eseguita."))
            return redirect("projects:report_detail", pk=report.pk)
    return render(
        request,
        "projects/report_detail.html",
        {
            "report": report,
            "costs": report.costs.all(),
            "progress": progress,
            "indicator_form": indicator_form if can_edit and progress else None,
            "form": form if can_edit else None,
            "cost_form": cost_form if can_edit else None,
            "back_form": back_form if can_review else None,
            "can_submit": workflow.available(report, request.user, ["submit"])["submit"],
            "can_review": can_review and report.status == ReportStatus.SUBMITTED,
            "history": audit.history(report, public_only=not can_review),
        },
    )


@login_required
def report_list(request):
    _need(request, "projects.manage_call")
    return render(request, "projects/report_list.html", {"page_obj": _page(request, selectors.reports_list())})


@login_required
def export(request, kind, fmt):
    from housingmix.core.exports.views import export_response

    if kind not in ("codesign_proposals", "codesign_scores", "codesign_reports"):
        raise Http404
    _need(request, "projects.manage_call")
    return export_response(request, kind=kind, fmt=fmt, list_url=reverse("projects:call_list"))
