"""Exports of co-design for staff: proposals, scores and reports (core exports registry)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from housingmix.core.exports import ExportSpec

from .models import Proposal, ProposalStatus, Report, Score


def _proposals(user, data):
    queryset = (
        Proposal.objects.exclude(status=ProposalStatus.DRAFT)
        .select_related("call__notice", "organisation", "protocol")
        .order_by("call", "protocol__year", "protocol__number")
    )
    if data is not None and data.get("call"):
        queryset = queryset.filter(call_id=data.get("call"))
    return queryset


def proposal_rows(queryset):
    header = [
        _("Protocollo"),
        _("Avviso"),
        _("Ente proponente"),
        _("Raggruppamento"),
        _("Titolo"),
        _("Stato"),
        _("Punteggio"),
        _("Posizione"),
    ]
    rows = [
        [
            p.protocol.display_number if p.protocol_id else "",
            p.call.notice.title,
            p.organisation.name,
            p.is_grouping,
            p.title,
            p.get_status_display(),
            p.final_score,
            p.rank,
        ]
        for p in queryset
    ]
    return header, rows


def _scores(user, data):
    queryset = Score.objects.select_related(
        "member__user", "proposal__organisation", "proposal__protocol", "criterion"
    ).filter(proposal__status__in=[ProposalStatus.RANKED, ProposalStatus.BELOW_THRESHOLD])
    if data is not None and data.get("call"):
        queryset = queryset.filter(proposal__call_id=data.get("call"))
    return queryset.order_by("proposal", "member", "criterion__position")


def score_rows(queryset):
    header = [_("Protocollo"), _("Ente proponente"), _("Componente"), _("Criterio"), _("Punti"), _("Motivazione")]
    rows = [
        [
            s.proposal.protocol.display_number if s.proposal.protocol_id else "",
            s.proposal.organisation.name,
            str(s.member.user),
            s.criterion.title,
            s.points,
            s.reason,
        ]
        for s in queryset
    ]
    return header, rows


def _reports(user, data):
    return Report.objects.select_related("project__proposal__organisation", "protocol").order_by(
        "project", "-period_start"
    )


def report_rows(queryset):
    header = [_("Protocollo"), _("Progetto"), _("Ente"), _("Dal"), _("Al"), _("Ore"), _("Stato")]
    rows = [
        [
            r.protocol.display_number if r.protocol_id else "",
            r.project.title,
            r.project.proposal.organisation.name,
            r.period_start,
            r.period_end,
            r.hours,
            r.get_status_display(),
        ]
        for r in queryset
    ]
    return header, rows


SPECS = [
    ExportSpec(
        kind="codesign_proposals",
        label=gettext_lazy("Proposte di co-progettazione"),
        permission="projects.manage_call",
        name="proposte",
        queryset=_proposals,
        rows=proposal_rows,
    ),
    ExportSpec(
        kind="codesign_scores",
        label=gettext_lazy("Punteggi della commissione"),
        permission="projects.manage_call",
        name="punteggi",
        queryset=_scores,
        rows=score_rows,
    ),
    ExportSpec(
        kind="codesign_reports",
        label=gettext_lazy("Rendicontazioni"),
        permission="projects.manage_call",
        name="rendicontazioni",
        queryset=_reports,
        rows=report_rows,
    ),
]
