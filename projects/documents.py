"""PDFs of co-design: receipt, score sheet, ranking, minutes, agreement (tagged PDF/UA-1, Italian).

Each is rendered only from frozen or numbered data, so the same inputs give the same HTML.
"""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from housingmix.core.numbers import euro, number_it
from housingmix.core.pdf import PDF_LANGUAGE, pdf_context
from housingmix.territory.selectors import ambito_current

from .models import ActionLine, Agreement, BudgetKind, CodesignCall, Proposal, ProposalStatus, TableSession
from .selectors import ranking_compute, top_criteria


def _rome(value):
    return timezone.localtime(value, timezone.get_default_timezone())


def _entry(entry) -> dict:
    when = _rome(entry.registered_at)
    return {"number": entry.display_number, "date": when.strftime("%d/%m/%Y"), "time": when.strftime("%H:%M")}


def _render(template: str, title: str, **data) -> str:
    return render_to_string(template, pdf_context(title=title, **data))


def receipt_html(*, proposal: Proposal) -> tuple[str, str]:
    """The receipt from the frozen package and the protocol entry. Raises ValueError before submission."""
    package, entry = proposal.package, proposal.protocol
    if not package or entry is None:
        raise ValueError("the receipt needs a submitted proposal")
    with translation.override(PDF_LANGUAGE):
        lines, kinds = dict(ActionLine.choices), dict(BudgetKind.choices)
        title = _("Ricevuta della proposta - prot. n. %(number)s") % {"number": entry.display_number}
        totals = package["totals"]
        html = _render(
            "projects/pdf/receipt.html",
            title,
            protocol=_entry(entry),
            package=package,
            sha256=proposal.package_sha256,
            actions=[{**a, "line_label": lines.get(a["line"], a["line"])} for a in package["actions"]],
            budget=[
                {
                    **b,
                    "kind_label": kinds.get(b["kind"], b["kind"]),
                    "public": euro(b["public_amount"]),
                    "ets": euro(b["ets_amount"]),
                    "total": euro(Decimal(b["public_amount"]) + Decimal(b["ets_amount"])),
                }
                for b in package["budget"]
            ],
            totals={
                "public": euro(totals["public"]),
                "ets": euro(totals["ets"]),
                "total": euro(totals["total"]),
                "share": ("%s%%" % number_it(totals["ets_share"], 2)) if totals["ets_share"] else "",
            },
        )
    return html, title


def score_sheet_html(*, proposal: Proposal) -> tuple[str, str]:
    """Each member's points and reasons per criterion, and the commission's score."""
    call = proposal.call
    with translation.override(PDF_LANGUAGE):
        title = _("Scheda di valutazione - prot. n. %(number)s") % {"number": proposal.protocol.display_number}
        scores = list(
            proposal.scores.select_related("member__user", "criterion").order_by("member__pk", "criterion__position")
        )
        members = {}
        for score in scores:
            members.setdefault(score.member_id, {"name": str(score.member.user), "rows": []})["rows"].append(
                {
                    "criterion": score.criterion.title,
                    "max": number_it(score.criterion.max_points, 2),
                    "points": number_it(score.points, 2),
                    "reason": score.reason,
                }
            )
        joint = [
            {
                "criterion": s.criterion.title,
                "max": number_it(s.criterion.max_points, 2),
                "points": number_it(s.points, 2),
                "reason": s.reason,
            }
            for s in proposal.joint_scores.select_related("criterion").order_by("criterion__position")
        ]
        html = _render(
            "projects/pdf/score_sheet.html",
            title,
            protocol=_entry(proposal.protocol),
            ranking_protocol=_entry(call.ranking_protocol) if call.ranking_protocol_id else None,
            call_title=call.notice.title,
            body=proposal.package["lead"]["name"] if proposal.package else proposal.organisation.name,
            proposal_title=proposal.title,
            members=list(members.values()),
            joint=joint,
            mode=call.get_scoring_mode_display(),
            total=number_it(proposal.final_score, 2),
            threshold=number_it(call.admission_threshold, 2),
            outcome=(
                _("In graduatoria, posizione %(rank)s") % {"rank": proposal.rank}
                if proposal.status == ProposalStatus.RANKED
                else proposal.exclusion_reason
            ),
        )
    return html, title


def ranking_rows(*, call: CodesignCall) -> list[dict]:
    """The ranking as the public page and the PDF show it: bodies' names and scores only."""
    tops = top_criteria(call)
    rows = []
    for row in ranking_compute(call=call):
        rows.append(
            {
                "position": row.position,
                "name": row.proposal.lead_label,
                "protocol": row.proposal.protocol.display_number if row.proposal.protocol_id else "",
                "criteria": [number_it(row.by_criterion.get(c.pk), 2) for c in tops],
                "total": number_it(row.total, 2),
                "admitted": row.admitted,
                "reason": row.reason,
            }
        )
    return rows


def ranking_html(*, call: CodesignCall) -> tuple[str, str]:
    with translation.override(PDF_LANGUAGE):
        entry = call.ranking_protocol
        title = _("Graduatoria - prot. n. %(number)s") % {"number": entry.display_number}
        html = _render(
            "projects/pdf/ranking.html",
            title,
            protocol=_entry(entry),
            call=call,
            call_title=call.notice.title,
            criteria=top_criteria(call),
            rows=ranking_rows(call=call),
            threshold=number_it(call.admission_threshold, 2),
            appeal_deadline=call.appeal_deadline.strftime("%d/%m/%Y") if call.appeal_deadline else "",
        )
    return html, title


def minutes_html(*, session: TableSession) -> tuple[str, str]:
    with translation.override(PDF_LANGUAGE):
        entry = session.minutes_protocol
        title = _("Verbale della seduta n. %(number)s - prot. n. %(protocol)s") % {
            "number": session.number,
            "protocol": entry.display_number,
        }
        participants = [
            {
                "name": str(p.user),
                "side": p.get_side_display(),
                "organisation": p.organisation.name if p.organisation_id else "",
                "approved": _rome(p.approved_at).strftime("%d/%m/%Y %H:%M") if p.approved_at else "",
            }
            for p in session.participants.select_related("user", "organisation")
        ]
        html = _render(
            "projects/pdf/minutes.html",
            title,
            protocol=_entry(entry),
            session=session,
            call_title=session.call.notice.title,
            when=_rome(session.starts_at).strftime("%d/%m/%Y %H:%M"),
            participants=participants,
        )
    return html, title


def agreement_html(*, agreement: Agreement) -> tuple[str, str]:
    with translation.override(PDF_LANGUAGE):
        project, version = agreement.project, agreement.version
        title = _("Convenzione - %(title)s (versione %(version)s del progetto)") % {
            "title": project.title,
            "version": version.number,
        }
        ambito = ambito_current()
        capofila = ambito.capofila if ambito else None
        lines = dict(ActionLine.choices)
        members = project.proposal.package["members"] if project.proposal.package else []
        html = _render(
            "projects/pdf/agreement.html",
            title,
            project=project,
            version=version,
            capofila=capofila.name if capofila else "",
            members=members,
            lead=project.proposal.lead_label,
            proposal_protocol=project.proposal.protocol.display_number if project.proposal.protocol_id else "",
            starts_on=agreement.starts_on.strftime("%d/%m/%Y"),
            ends_on=agreement.ends_on.strftime("%d/%m/%Y"),
            rows=[
                {
                    **line,
                    "line_label": lines.get(line["line"], line["line"]),
                    "public": euro(line["public_amount"]),
                    "ets": euro(line["ets_amount"]),
                }
                for line in version.lines
            ],
            public_total=euro(version.public_total),
            ets_total=euro(version.ets_total),
            total=euro(version.public_total + version.ets_total),
        )
    return html, title
