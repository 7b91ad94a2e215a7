"""What co-design adds to the public page of its notice (``notices.panels``): a link to the call's
page and, once published, the ranking (bodies' names and scores, the appeal window)."""

from housingmix.core.documents import documents_of
from housingmix.notices.models import NoticeKind
from housingmix.notices.panels import Panel

from .models import CallStatus, CodesignCall, GeneratedKind
from .selectors import top_criteria


def notice_ranking_panel(notice) -> Panel | None:
    """The panel for a co-design notice whose call is public; ``None`` for any other notice."""
    if notice.kind != NoticeKind.CODESIGN:
        return None
    call = (
        CodesignCall.objects.select_related("ranking_protocol")
        .filter(notice=notice)
        .exclude(status=CallStatus.DRAFT)
        .first()
    )
    if call is None:
        return None
    from .documents import ranking_rows

    ranked = call.status == CallStatus.RANKED
    return Panel(
        "projects/partials/_notice_panel.html",
        {
            "call": call,
            "criteria": top_criteria(call) if ranked else [],
            "rows": ranking_rows(call=call) if ranked else [],
            "ranking_pdf": documents_of(call, kinds=[GeneratedKind.RANKING]).first() if ranked else None,
        },
    )
