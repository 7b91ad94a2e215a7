from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from housingmix.core.admin_widgets import SafeAutocompleteMixin

from .models import Membership, Organisation, User


@admin.register(User)
class UserAdmin(SafeAutocompleteMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["comune"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Dati personali"), {"fields": ("first_name", "last_name", "tax_code", "phone", "offerer_kind")}),
        (_("Ruoli e permessi"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "comune")}),
        (_("Date"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "password1", "password2")}),
        (_("Ruoli"), {"fields": ("is_staff", "groups", "comune")}),
    )
    filter_horizontal = ["groups"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # A codice fiscale verified through SPID/CIE is fixed (housingmix.identity).
        if obj is not None and hasattr(obj, "digital_identity"):
            fields.append("tax_code")
        return fields


class MembershipInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "office", "proxy_document"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "tax_code", "city", "runts_number"]
    list_filter = ["type"]
    search_fields = ["name", "tax_code", "vat_number"]
    inlines = [MembershipInline]


# django-otp's admin shows each device's secret (its QR code) to whoever may change it: nobody
# else should ever see a second factor. A lost phone is reset with
# ``manage.py two_factor_reset <e-mail>`` (audited); the person enrols again at the next login.
def _unregister_otp_devices():
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_otp_devices()
