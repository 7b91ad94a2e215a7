from django.contrib import admin

from .models import DigitalIdentity, IdentityEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Support staff and the DPO read these; only the login flow writes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DigitalIdentity)
class DigitalIdentityAdmin(ReadOnlyAdmin):
    list_display = ["fiscal_code", "user", "last_provider_kind", "last_provider_name", "last_level", "last_verified_at"]
    list_filter = ["last_provider_kind", "last_level"]
    search_fields = ["fiscal_code", "user__email", "user__last_name"]
    list_select_related = ["user"]


@admin.register(IdentityEvent)
class IdentityEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "kind", "provider_kind", "provider_name", "level"]
    list_filter = ["kind", "provider_kind", "level"]
    search_fields = ["user__email", "user__last_name"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
