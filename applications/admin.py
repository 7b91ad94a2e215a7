"""Back office: the protocol register, read-only (it is append-only by law and by database trigger)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ProtocolEntry


@admin.register(ProtocolEntry)
class ProtocolEntryAdmin(admin.ModelAdmin):
    list_display = ["protocol_number", "registered_at", "direction", "sender", "subject"]
    list_filter = ["year", "direction"]
    search_fields = ["subject", "sender"]
    date_hierarchy = "registered_at"
    list_select_related = True
    readonly_fields = [f.name for f in ProtocolEntry._meta.fields]
    ordering = ["-year", "-number"]
    show_full_result_count = False

    @admin.display(description=_("protocollo"), ordering="number")
    def protocol_number(self, entry):
        return entry.display_number

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
