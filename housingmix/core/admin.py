from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import outbox
from .models import AuditEvent
from .outbox.models import Job, JobStatus
from .protocol.models import ProtocolEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record that is never written from the back office (registers, trails, stored versions)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "verb", "content_type", "object_id", "from_state", "to_state", "actor"]
    list_filter = ["verb", "content_type"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"


@admin.register(ProtocolEntry)
class ProtocolEntryAdmin(ReadOnlyAdmin):
    """The protocol register, read-only: it is append-only by law and by database trigger."""

    list_display = ["protocol_number", "registered_at", "direction", "sender", "subject", "record_type"]
    list_filter = ["year", "direction", "record_type"]
    search_fields = ["subject", "sender"]
    date_hierarchy = "registered_at"
    list_select_related = ["record_type"]
    readonly_fields = [f.name for f in ProtocolEntry._meta.fields]
    ordering = ["-year", "-number"]
    show_full_result_count = False

    @admin.display(description=_("protocollo"), ordering="number")
    def protocol_number(self, entry):
        return entry.display_number


@admin.register(Job)
class OutboxJobAdmin(admin.ModelAdmin):
    """The outbox, for support staff: what is pending or failed, and "retry"."""

    list_display = ["pk", "kind_display", "status", "attempts", "last_error", "requested_at", "done_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["target_type"]
    readonly_fields = [f.name for f in Job._meta.fields]
    ordering = ["-requested_at", "-pk"]
    actions = ["retry"]
    show_full_result_count = False

    @admin.display(description=_("tipo"), ordering="kind")
    def kind_display(self, job):
        return outbox.kind_label(job.kind)

    @admin.action(description=_("Riprova le lavorazioni selezionate"), permissions=["change"])
    def retry(self, request, queryset):
        count = 0
        for job in queryset.exclude(status=JobStatus.DONE):
            outbox.retry(job=job, by=request.user)
            count += 1
        self.message_user(
            request, ngettext("%d lavorazione rimessa in coda.", "%d lavorazioni rimesse in coda.", count) % count
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
