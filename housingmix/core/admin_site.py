from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Housing Mix - back office")
    site_title = _("Housing Mix")
    index_title = _("Gestione del portale")

    def has_permission(self, request):
        """Only back-office roles (Ufficio di Piano, administrators, DPO) enter the admin;
        the is_staff flag alone is not enough."""
        user = request.user
        return user.is_active and user.is_staff and getattr(user, "is_back_office", False)
