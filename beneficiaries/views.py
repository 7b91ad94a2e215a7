"""Pages of the beneficiaries programme: households, plans, matching, placements, DPO tools.

Every page that shows a household records the read (``selectors.household_read_record``)
with the parts shown. URLs carry ids only, never names or codici fiscali.
"""

import json

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from housingmix.core import audit, workflow
from housingmix.core.files import private_file_response
from housingmix.core.pagination import CappedCountPaginator

from . import documents, exports, matching, selectors, services
from .forms import (
    ActionForm,
    DecisionForm,
    GoalForm,
    HouseholdForm,
    MemberFormSet,
    OutcomeForm,
    PlacementForm,
    ProjectLinkForm,
    RegistrationForm,
    ReviewForm,
    TransitionForm,
)
from .models import Match, Placement, PlanStatus

PAGE_SIZE = 25


def _check(request, perm: str, obj=None) -> None:
    if not rules.has_perm(perm, request.user, obj):
        raise PermissionDenied


def _household(request, pk: int, perm: str = "beneficiaries.view_household", load=selectors.household_get):
    household = load(pk=pk)
    # A household one may not see answers as one that does not exist: ids are sequential, and a
    # 403 would tell an outsider which exist and how many there are.
    if household is None or not rules.has_perm("beneficiaries.view_household", request.user, household):
        raise Http404
    _check(request, perm, household)
    return household


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def household_list(request):
    _check(request, "beneficiaries.list_households")
    queryset = selectors.household_list(
        user=request.user, comune=request.GET.get("comune") or None, status=request.GET.get("stato") or None
    )
    page = CappedCountPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "beneficiaries/household_list.html",
        {
            "page_obj": page,
            "can_refer": rules.has_perm("beneficiaries.refer_household", request.user),
            "statuses": PlanStatus.choices,
        },
    )


@login_required
def household_create(request):
    _check(request, "beneficiaries.refer_household")
    form = HouseholdForm(request.POST or None, initial={"comune": request.user.comune_id})
    members = MemberFormSet(request.POST or None, prefix="members")
    if request.method == "POST" and form.is_valid() and members.is_valid():
        data = dict(form.cleaned_data)
        preferred = data.pop("preferred_comuni")
        try:
            household = services.household_refer(
                by=request.user,
                members=[m.cleaned_data for m in members if m.cleaned_data],
                preferred_comuni=preferred,
                **data,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Nucleo %(code)s segnalato.") % {"code": household.code})
            return redirect(household.get_absolute_url())
    return render(request, "beneficiaries/household_form.html", {"form": form, "members": members})


@login_required
def household_detail(request, pk: int):
    household = _household(request, pk)
    user = request.user
    can_see_special = rules.has_perm("beneficiaries.view_special", user, household)
    parts = [selectors.PART_IDENTITY, selectors.PART_ECONOMIC, selectors.PART_HOUSING, selectors.PART_PLAN]
    parts.append(selectors.PART_ACTIONS)
    if can_see_special:
        parts.append(selectors.PART_SPECIAL)
    selectors.household_read_record(household=household, user=user, parts=parts)
    plan = household.plan
    transitions = [
        (name, label) for name, label in TRANSITION_LABELS.items() if workflow.available(plan, user, [name]).get(name)
    ]
    goals = list(plan.goals.all())
    return render(
        request,
        "beneficiaries/household_detail.html",
        {
            "household": household,
            "plan": plan,
            "members": list(household.members.all()),
            "goals": goals,
            "can_see_special": can_see_special,
            "can_manage": rules.has_perm("beneficiaries.manage_plan", user, plan),
            "can_act": rules.has_perm("beneficiaries.record_action", user, plan),
            "can_find_units": rules.has_perm("beneficiaries.find_units", user, household),
            "can_place": rules.has_perm("beneficiaries.manage_placement", user, household),
            "project_form": (
                ProjectLinkForm(instance=household)
                if rules.has_perm("beneficiaries.change_household", user, household)
                else None
            ),
            "is_dpo": rules.has_perm("beneficiaries.audit_reads", user, household),
            "transitions": transitions,
            "transition_form": TransitionForm(initial={"expected_status": plan.status}),
            "goal_form": GoalForm(),
            "action_form": ActionForm(),
            "review_form": ReviewForm(goals=goals),
            "outcome_form": OutcomeForm(),
            "can_review": plan.status in (PlanStatus.PLACED, PlanStatus.ACTIVE, PlanStatus.EXTENDED),
            "outcome": getattr(plan, "outcome", None) if plan.is_ended else None,
            "actions": list(plan.actions.all()[:50]),
            "matches": list(household.matches.all()),
            "placements": list(household.placements.all()),
            "pact": selectors.pact_latest(plan=plan),
        },
    )


TRANSITION_LABELS = {
    "start_assessment": gettext_lazy("Avvia la valutazione"),
    "start_drafting": gettext_lazy("Avvia la redazione del progetto"),
    "sign_pact": gettext_lazy("Registra la firma del patto"),
    "extend": gettext_lazy("Proroga il progetto"),
    "end_positive": gettext_lazy("Concludi: autonomia abitativa raggiunta"),
    "end_negative": gettext_lazy("Concludi senza autonomia"),
    "interrupt": gettext_lazy("Interrompi il progetto"),
}


@login_required
@require_POST
def plan_transition(request, pk: int, name: str):
    household = _household(request, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.plan_transition(
            plan=household.plan,
            name=name,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
            expected_status=form.cleaned_data.get("expected_status") or None,
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Stato del progetto aggiornato."))
    return redirect(household.get_absolute_url())


@login_required
@require_POST
def project_link(request, pk: int):
    household = _household(request, pk, "beneficiaries.change_household")
    form = ProjectLinkForm(request.POST)
    if form.is_valid():
        try:
            services.household_project_link(household=household, project=form.cleaned_data["project"], by=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Progetto di co-progettazione aggiornato."))
    else:
        messages.error(request, _("Scegli un progetto di co-progettazione in corso."))
    return redirect(household.get_absolute_url())


@login_required
@require_POST
def goal_add(request, pk: int):
    household = _household(request, pk, "beneficiaries.manage_plan")
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.goal_add(plan=household.plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Obiettivo aggiunto."))
    else:
        messages.error(request, _("Obiettivo non aggiunto: compila tutti i campi."))
    return redirect(household.get_absolute_url())


@login_required
@require_POST
def action_add(request, pk: int):
    household = _household(request, pk, "beneficiaries.record_action")
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_record(plan=household.plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Azione registrata."))
    else:
        messages.error(request, _("Azione non registrata: indica linea, data e ore."))
    return redirect(household.get_absolute_url())


@login_required
@require_POST
def review_add(request, pk: int):
    household = _household(request, pk, "beneficiaries.manage_plan")
    form = ReviewForm(request.POST, goals=household.plan.goals.all())
    if form.is_valid():
        try:
            services.review_record(
                plan=household.plan,
                by=request.user,
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
                progress=form.progress(),
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Verifica registrata."))
    else:
        messages.error(request, _("Verifica non registrata: indica la data e il valore di ogni obiettivo."))
    return redirect(household.get_absolute_url())


@login_required
@require_POST
def outcome_add(request, pk: int):
    household = _household(request, pk, "beneficiaries.manage_plan")
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_record(plan=household.plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Esito registrato; i follow-up a 6 e 12 mesi sono in calendario."))
    return redirect(household.get_absolute_url())


@login_required
def units(request, pk: int):
    household = _household(request, pk, "beneficiaries.find_units", load=selectors.household_for_matching)
    fitting_only = request.GET.get("tutti") != "1"
    needs, queryset = matching.units_for(household=household, fitting_only=fitting_only)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = matching.page_assessments(needs=needs, entries=page.object_list)
    selectors.household_read_record(household=household, user=request.user, parts=[selectors.PART_HOUSING])
    return render(
        request,
        "beneficiaries/units.html",
        {
            "household": household,
            "needs": needs,
            "page_obj": page,
            "rows": rows,
            "fitting_only": fitting_only,
            "can_propose": rules.has_perm("beneficiaries.propose_match", request.user, household),
        },
    )


@login_required
@require_POST
def match_propose(request, pk: int, entry_pk: int):
    from properties.models import RegistryEntry

    household = _household(request, pk, "beneficiaries.propose_match")
    entry = RegistryEntry.objects.filter(pk=entry_pk).first()
    if entry is None:
        raise Http404
    try:
        services.match_propose(household=household, entry=entry, by=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("beneficiaries:units", pk=household.pk)
    messages.success(request, _("Abbinamento proposto: il proprietario e l'assistente sociale sono stati avvisati."))
    return redirect(household.get_absolute_url())


def _match_side(user, match: Match) -> str | None:
    if rules.has_perm("beneficiaries.decide_match_worker", user, match):
        return "worker"
    if rules.has_perm("beneficiaries.decide_match_owner", user, match):
        return "owner"
    return None


@login_required
def match_decide(request, pk: int):
    match = selectors.match_get(pk=pk)
    if match is None:
        raise Http404
    side = _match_side(request.user, match)
    if side is None:  # neither side of this match: as if it did not exist
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_decide(match=match, by=request.user, side=side, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Decisione registrata."))
            return redirect("beneficiaries:match_decide", pk=match.pk)
    match = selectors.match_get(pk=pk)
    return render(
        request,
        "beneficiaries/match_decide.html",
        {
            "match": match,
            "side": side,
            "form": form,
            "decided": bool(getattr(match, "%s_decision" % side)) or match.status != "proposed",
            "can_place": side == "worker"
            and match.status == "accepted"
            and not Placement.objects.filter(match=match).exists(),
        },
    )


@login_required
def placement_create(request, pk: int):
    match = selectors.match_get(pk=pk)
    if match is None:
        raise Http404
    _check(request, "beneficiaries.manage_placement", match.household)
    initial = {"monthly_rent": match.entry.monthly_rent or 0, "deposit": 0, "contribution_share": 0}
    form = PlacementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_create(match=match, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                _errors(request, error)
        else:
            messages.success(
                request, _("Inserimento registrato: ricorda la registrazione del contratto entro 30 giorni.")
            )
            return redirect(match.household.get_absolute_url())
    return render(request, "beneficiaries/placement_form.html", {"match": match, "form": form})


def _placement(request, pk: int) -> Placement:
    placement = Placement.objects.select_related("household__social_worker", "entry").filter(pk=pk).first()
    if placement is None or not rules.has_perm("beneficiaries.view_household", request.user, placement.household):
        raise Http404
    _check(request, "beneficiaries.manage_placement", placement.household)
    return placement


@login_required
def placement_register(request, pk: int):
    placement = _placement(request, pk)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_register(placement=placement, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Registrazione del contratto annotata."))
            return redirect(placement.household.get_absolute_url())
    return render(request, "beneficiaries/placement_register.html", {"placement": placement, "form": form})


@login_required
@require_POST
def placement_move_in(request, pk: int):
    placement = _placement(request, pk)
    try:
        services.placement_move_in(placement=placement, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Ingresso nell'alloggio registrato: il progetto è avviato."))
    return redirect(placement.household.get_absolute_url())


@login_required
def registrations_overdue(request):
    _check(request, "beneficiaries.view_dashboard")
    rows = services.placements_overdue()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "beneficiaries/registrations_overdue.html", {"page_obj": page})


@login_required
def household_reads(request, pk: int):
    household = _household(request, pk, "beneficiaries.audit_reads")
    page = CappedCountPaginator(selectors.household_reads(household=household), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for event in page.object_list:
        event.verb_label = audit.label(event.verb)
    return render(request, "beneficiaries/household_reads.html", {"household": household, "page_obj": page})


@login_required
def household_export(request, pk: int):
    household = _household(request, pk, "beneficiaries.export_subject")
    data = exports.subject_export(household=household, by=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="nucleo-%d.json"' % household.pk
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def household_export_pdf(request, pk: int):
    """The access-request report as a PDF, for the DPO only (anyone else: 404 or 403)."""
    household = _household(request, pk, "beneficiaries.export_subject")
    response = HttpResponse(
        exports.subject_export_pdf(household=household, by=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="%s"' % documents.subject_access_filename(
        household=household
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def pact_generate(request, pk: int):
    household = _household(request, pk, "beneficiaries.manage_plan")
    services.pact_request(plan=household.plan, by=request.user)
    messages.success(request, _("Il patto è in preparazione: lo trovi in questa pagina tra pochi istanti."))
    return redirect(household.get_absolute_url())


@login_required
def pact_download(request, pk: int):
    household = _household(request, pk)
    document = selectors.pact_latest(plan=household.plan)
    if document is None:
        raise Http404
    selectors.household_read_record(
        household=household, user=request.user, parts=[selectors.PART_PLAN, selectors.PART_IDENTITY]
    )
    return private_file_response(document.file, filename=document.filename, content_type="application/pdf")


def open_data(request):
    table = exports.open_data_table()
    if request.GET.get("formato") == "csv":
        return exports.open_data_csv(table)
    return render(request, "beneficiaries/open_data.html", {"table": table})


@login_required
def dashboard(request):
    _check(request, "beneficiaries.view_dashboard")
    return render(request, "beneficiaries/dashboard.html", selectors.dashboard_figures())


@login_required
@require_POST
def pact_upload(request, pk: int):
    household = _household(request, pk, "beneficiaries.manage_plan")
    upload = request.FILES.get("signed_pact")
    if upload is None:
        messages.error(request, _("Scegli il file del patto firmato."))
    else:
        try:
            services.signed_pact_upload(plan=household.plan, by=request.user, upload=upload)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Patto firmato caricato."))
    return redirect(household.get_absolute_url())


@login_required
def signed_pact_download(request, pk: int):
    household = _household(request, pk, "beneficiaries.manage_plan")
    if not household.plan.signed_pact:
        raise Http404
    selectors.household_read_record(household=household, user=request.user, parts=[selectors.PART_PLAN])
    stored = household.plan.signed_pact
    try:
        with stored.open("rb") as handle:
            is_pdf = handle.read(5) == b"%PDF-"
    except OSError:
        raise Http404 from None
    return private_file_response(
        stored,
        filename="patto-firmato-%s.%s" % (household.code.lower(), "pdf" if is_pdf else "p7m"),
        content_type="application/pdf" if is_pdf else "application/pkcs7-mime",
    )


@login_required
def household_erase(request, pk: int):
    household = _household(request, pk, "beneficiaries.export_subject")
    form = TransitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_erase(household=household, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Dati personali del nucleo cancellati; gli aggregati restano."))
            return redirect(household.get_absolute_url())
    return render(request, "beneficiaries/household_erase.html", {"household": household, "form": form})


@login_required
def processing_record(request):
    _check(request, "beneficiaries.view_processing_record")
    return render(request, "beneficiaries/processing_record.html", {"rows": exports.processing_record()})
