"""Back office of co-design, for support staff: every record can be looked up; none is added or
deleted here (the portal's pages and services do that, with audit and protocol). Acts that are
protocolled or approved (submitted proposals, score sheets, rankings, approved minutes, signed
agreements, submitted reports) are read-only; before that only plain content fields can be
corrected, never a state, a number or a date that others were told of (a session moves from its
page, which e-mails the participants)."""

from django.contrib import admin

from housingmix.core.admin import ReadOnlyAdmin

from .models import (
    Agreement,
    BudgetLine,
    CallStatus,
    CodesignCall,
    CommissionMember,
    ConflictDeclaration,
    Criterion,
    FinalProject,
    FinalProjectVersion,
    JointScore,
    Proposal,
    ProposalAction,
    ProposalMember,
    ProposalStatus,
    Report,
    ReportCost,
    ReportIndicator,
    Score,
    SessionParticipant,
    SessionStatus,
    TableSession,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UntilProtocolledAdmin(admin.ModelAdmin):
    """Changeable in ``editable_fields`` only, and only until ``is_act(obj)``; never added or deleted."""

    editable_fields: tuple[str, ...] = ()
    show_full_result_count = False

    def is_act(self, obj) -> bool:
        raise NotImplementedError

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.is_act(obj):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.editable_fields]


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ["position", "title", "max_points", "parent"]


class CommissionMemberInline(ReadOnlyInline):
    model = CommissionMember
    fields = ["user", "is_president", "appointed_at"]


@admin.register(CodesignCall)
class CodesignCallAdmin(UntilProtocolledAdmin):
    list_display = ["notice", "status", "ranking_protocol", "ranking_published_at", "created_at"]
    list_filter = ["status"]
    list_select_related = ["notice", "ranking_protocol"]
    search_fields = ["notice__title", "notice__act_number"]
    date_hierarchy = "created_at"
    editable_fields = ("objectives", "requirements", "staff_hours", "budget_eur", "appeal_days")
    inlines = [CriterionInline, CommissionMemberInline]

    def is_act(self, call):
        # Published with its notice: what the call says is what the ETS answered to.
        return call.status != CallStatus.DRAFT


class ProposalMemberInline(ReadOnlyInline):
    model = ProposalMember
    fields = ["organisation", "role", "is_lead", "confirmed_at"]


class ProposalActionInline(ReadOnlyInline):
    model = ProposalAction
    fields = ["line", "activities", "staff_hours", "volunteer_hours", "indicator", "target"]


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ["kind", "description", "public_amount", "ets_amount"]


@admin.register(Proposal)
class ProposalAdmin(UntilProtocolledAdmin):
    list_display = ["__str__", "organisation", "call", "status", "protocol", "final_score", "rank", "submitted_at"]
    list_filter = ["status", "call"]  # Meta index (call, status)
    list_select_related = ["organisation", "call__notice", "protocol"]
    search_fields = ["title", "organisation__name", "organisation__tax_code"]
    date_hierarchy = "created_at"
    editable_fields = ("title", "summary", "experience")
    exclude = ["package"]
    inlines = [ProposalMemberInline, ProposalActionInline, BudgetLineInline]

    def is_act(self, proposal):
        return proposal.status != ProposalStatus.DRAFT or proposal.protocol_id is not None

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name != "package"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    """The members' score sheets: read-only."""

    list_display = ["proposal", "criterion", "member", "points", "scored_at"]
    list_filter = ["proposal__call"]
    list_select_related = ["proposal__organisation", "criterion", "member__user"]
    search_fields = ["proposal__title", "proposal__organisation__name"]
    show_full_result_count = False


@admin.register(JointScore)
class JointScoreAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "criterion", "points"]
    list_filter = ["proposal__call"]
    list_select_related = ["proposal__organisation", "criterion"]
    search_fields = ["proposal__title", "proposal__organisation__name"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "member", "has_conflict", "declared_at"]
    list_filter = ["proposal__call"]
    list_select_related = ["proposal__organisation", "member__user"]
    search_fields = ["proposal__title", "proposal__organisation__name"]


class SessionParticipantInline(ReadOnlyInline):
    model = SessionParticipant
    fields = ["user", "side", "organisation", "approved_at"]


@admin.register(TableSession)
class TableSessionAdmin(UntilProtocolledAdmin):
    list_display = ["__str__", "call", "starts_at", "place", "status", "minutes_protocol"]
    list_filter = ["call", "status"]  # Meta index (call, status)
    list_select_related = ["call__notice", "minutes_protocol"]
    search_fields = ["call__notice__title", "place", "agenda"]
    date_hierarchy = "starts_at"
    editable_fields = ("agenda",)
    inlines = [SessionParticipantInline]

    def is_act(self, session):
        # Minutes are written and approved on the session's page (approvals reset on an edit).
        return session.status != SessionStatus.SCHEDULED


class FinalProjectVersionInline(ReadOnlyInline):
    model = FinalProjectVersion
    fields = ["number", "note", "created_by", "created_at"]


@admin.register(FinalProject)
class FinalProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "call", "proposal", "created_at"]
    list_filter = ["call"]
    list_select_related = ["call__notice", "proposal__organisation"]
    search_fields = ["title", "proposal__organisation__name"]
    inlines = [FinalProjectVersionInline]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    """Drafted from the final project and signed on the project's page: read-only here."""

    list_display = ["project", "status", "starts_on", "ends_on", "protocol"]
    list_filter = ["status"]
    list_select_related = ["project", "protocol"]
    search_fields = ["project__title", "project__proposal__organisation__name"]
    exclude = ["signed_file"]


class ReportCostInline(ReadOnlyInline):
    model = ReportCost
    fields = ["kind", "description", "amount", "receipt_sha256"]


class ReportIndicatorInline(ReadOnlyInline):
    model = ReportIndicator
    fields = ["line", "name", "value"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Its ETS edits the draft on the report's page; submitted, it is protocolled: read-only here."""

    list_display = ["__str__", "project", "status", "protocol", "hours"]
    list_filter = ["status", "project"]  # Meta index (project, status)
    list_select_related = ["project", "protocol"]
    search_fields = ["project__title", "project__proposal__organisation__name"]
    inlines = [ReportCostInline, ReportIndicatorInline]
    show_full_result_count = False
