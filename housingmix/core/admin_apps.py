from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The Django admin, with the site that admits back-office roles only."""

    default_site = "housingmix.core.admin_site.PortalAdminSite"
