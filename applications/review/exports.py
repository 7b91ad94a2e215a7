"""The review queue's export: same filters and scope as the page, one row per manifestation."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from housingmix.core.exports import ExportSpec

from . import selectors


def review_queue_rows(queryset) -> tuple[list[str], list[list]]:
    header = [
        _("Protocollo"),
        _("Presentata il"),
        _("Offerente"),
        _("Tipo di offerente"),
        _("Avviso"),
        _("Comuni degli alloggi"),
        _("Alloggi"),
        _("Stato"),
        _("Istruttore"),
        _("Integrazione scaduta"),
    ]
    rows = []
    for a in queryset:
        rows.append(
            [
                a.protocol.display_number if a.protocol_id else "",
                a.submitted_at,
                a.offerer_name,
                a.get_offerer_type_display(),
                a.notice.title,
                ", ".join(sorted({u.comune.name for u in a.unit_list if u.comune_id})),
                len(a.unit_list),
                a.get_status_display(),
                (a.assigned_to.get_full_name() or a.assigned_to.email) if a.assigned_to_id else "",
                a.is_overdue,
            ]
        )
    return header, rows


QUEUE_EXPORT = ExportSpec(
    kind="review_queue",
    label=gettext_lazy("Manifestazioni in istruttoria"),
    permission="applications.review_workspace",
    name="istruttorie",
    queryset=lambda user, data: selectors.review_queue_filterset(user=user, data=data).qs,
    rows=review_queue_rows,
)
