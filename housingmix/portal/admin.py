"""Back office of the municipal model's pages: topics, offices, service sheets, news, events,
availability and the agenda of appointments, and the page ratings per page."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from housingmix.core.admin_widgets import SafeAutocompleteMixin
from housingmix.core.caching import public_pages_invalidate

from . import selectors, services
from .forms import SlotSeriesForm
from .models import (
    Appointment,
    AppointmentStatus,
    AvailabilitySlot,
    Event,
    Feedback,
    FeedbackAnswer,
    News,
    Office,
    Service,
    ServiceMilestone,
    Topic,
    Vocabulary,
)
from .vocabulary import MODEL_TOPICS


class PublicContentAdmin(admin.ModelAdmin):
    """Public pages are cached: a change shows at once for everyone."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        public_pages_invalidate()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        public_pages_invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        public_pages_invalidate()


class TopicAdminForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "name_en", "slug", "vocabulary", "description", "description_en", "notices", "order"]

    def clean(self):
        data = super().clean()
        if data.get("vocabulary") == Vocabulary.MODEL and data.get("name") and data["name"] not in MODEL_TOPICS:
            self.add_error(
                "name",
                gettext("«%(name)s» non è un termine del vocabolario controllato del modello Comuni.")
                % {"name": data["name"]},
            )
        return data


@admin.register(Topic)
class TopicAdmin(PublicContentAdmin):
    form = TopicAdminForm
    list_display = ["name", "name_en", "vocabulary", "order"]
    list_filter = ["vocabulary"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["notices"]
    fields = ["name", "name_en", "slug", "vocabulary", "description", "description_en", "notices", "order"]


@admin.register(Office)
class OfficeAdmin(SafeAutocompleteMixin, PublicContentAdmin):
    list_display = ["name", "comune", "city", "phone", "email", "is_active", "order"]
    list_filter = ["is_active"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["comune"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "comune", "is_active", "order"]}),
        (
            _("Dove e quando"),
            {"fields": ["street_address", "postcode", "city", "opening_hours", "email", "pec", "phone"]},
        ),
        (_("Di cosa si occupa"), {"fields": ["description"]}),
        (_("English"), {"fields": ["name_en", "description_en", "opening_hours_en"], "classes": ["collapse"]}),
    ]


class ServiceMilestoneInline(admin.TabularInline):
    model = ServiceMilestone
    extra = 1
    fields = ["order", "label", "when", "label_en", "when_en"]


@admin.register(Service)
class ServiceAdmin(SafeAutocompleteMixin, PublicContentAdmin):
    list_display = ["title", "category", "online_access", "bookable", "is_published", "order", "updated_at"]
    list_filter = ["is_published", "category", "online_access", "bookable"]
    search_fields = ["title", "title_en", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics", "booking_offices"]
    autocomplete_fields = ["notice", "office"]
    inlines = [ServiceMilestoneInline]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "summary", "category", "audience_type", "topics", "is_published", "order"]},
        ),
        (
            _("Sezioni della scheda (italiano)"),
            {
                "fields": [
                    "addressed",
                    "description",
                    "how_to",
                    "needed",
                    "obtained",
                    "deadlines",
                    "cost",
                    "access",
                    "more_info",
                    "conditions",
                ],
                "description": _(
                    "Testo semplice: una riga vuota separa i paragrafi; le righe che iniziano con «- » formano un elenco."
                ),
            },
        ),
        (
            _("Accesso al servizio"),
            {"fields": ["online_access", "notice_kind", "notice", "bookable", "booking_offices", "office"]},
        ),
        (
            _("English"),
            {
                "fields": [
                    "title_en",
                    "summary_en",
                    "addressed_en",
                    "description_en",
                    "how_to_en",
                    "needed_en",
                    "obtained_en",
                    "deadlines_en",
                    "cost_en",
                    "access_en",
                    "more_info_en",
                    "conditions_en",
                ],
                "classes": ["collapse"],
            },
        ),
    ]


@admin.register(News)
class NewsAdmin(PublicContentAdmin):
    list_display = ["title", "kind", "published_at", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "title_en"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    date_hierarchy = "published_at"
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "summary", "body", "topics", "published_at", "is_published"]}),
        (_("English"), {"fields": ["title_en", "summary_en", "body_en"], "classes": ["collapse"]}),
    ]


@admin.register(Event)
class EventAdmin(PublicContentAdmin):
    list_display = ["title", "starts_at", "ends_at", "office", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "title_en"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    date_hierarchy = "starts_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "starts_at", "ends_at", "office", "location"]}),
        (None, {"fields": ["topics", "is_published"]}),
        (_("English"), {"fields": ["title_en", "summary_en", "body_en", "location_en"], "classes": ["collapse"]}),
    ]


@admin.register(AvailabilitySlot)
class AvailabilitySlotAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "ends_at", "office", "is_published", "booked"]
    list_filter = ["office", "is_published"]
    date_hierarchy = "starts_at"
    actions = ["unpublish"]
    change_list_template = "admin/portal/availabilityslot/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office")

    @admin.display(description=_("prenotata"), boolean=True)
    def booked(self, obj):
        return obj.appointments.filter(status=AppointmentStatus.BOOKED).exists()

    @admin.action(
        description=_("Ritira le disponibilità scelte (gli appuntamenti già presi restano)"),
        permissions=["change"],
    )
    def unpublish(self, request, queryset):
        count = queryset.update(is_published=False)
        self.message_user(request, gettext("Disponibilità ritirate: %(count)d.") % {"count": count})

    def get_urls(self):
        return [
            path(
                "serie/",
                self.admin_site.admin_view(self.series_view),
                name="portal_availabilityslot_series",
            )
        ] + super().get_urls()

    def series_view(self, request):
        """Publish a series of slots (days, hours, duration) in one go."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = SlotSeriesForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                created = services.slots_generate(
                    series=services.SlotSeries(
                        office=data["office"],
                        first_day=data["first_day"],
                        last_day=data["last_day"],
                        weekdays=data["weekdays"],
                        start=data["start"],
                        end=data["end"],
                        minutes=data["minutes"],
                    ),
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, gettext("Disponibilità pubblicate: %(count)d.") % {"count": created})
                return redirect("admin:portal_availabilityslot_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Pubblica una serie di disponibilità"),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/portal/availabilityslot/series.html", context)


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """The agenda: appointments by day and office; staff can cancel one (the citizen is told)."""

    list_display = ["when", "office", "service", "first_name", "last_name", "email", "phone", "status"]
    list_filter = ["status", "slot__office", "service"]
    search_fields = ["last_name", "first_name", "email"]
    date_hierarchy = "slot__starts_at"
    actions = ["cancel"]
    readonly_fields = [
        "slot",
        "service",
        "first_name",
        "last_name",
        "email",
        "phone",
        "message",
        "language",
        "status",
        "created_at",
        "cancelled_at",
        "anonymised_at",
    ]
    exclude = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("slot__office", "service")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # The agenda opens on today and what follows, unless a filter or a date is chosen.
        if not request.GET:
            today = timezone.localdate()
            return redirect(
                "%s?slot__starts_at__date__gte=%s&status__exact=%s"
                % (reverse("admin:portal_appointment_changelist"), today.isoformat(), AppointmentStatus.BOOKED)
            )
        return super().changelist_view(request, extra_context)

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "slot__starts_at__date__gte" or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("giorno e ora"), ordering="slot__starts_at")
    def when(self, obj):
        return timezone.localtime(obj.slot.starts_at).strftime("%d/%m/%Y %H:%M")

    @admin.display(description=_("ufficio"), ordering="slot__office__name")
    def office(self, obj):
        return obj.slot.office

    @admin.action(description=_("Annulla gli appuntamenti scelti e avvisa i richiedenti"), permissions=["change"])
    def cancel(self, request, queryset):
        count = 0
        for appointment in queryset.filter(status=AppointmentStatus.BOOKED):
            services.appointment_cancel(appointment=appointment, by=request.user, by_staff=True)
            count += 1
        self.message_user(request, gettext("Appuntamenti annullati: %(count)d.") % {"count": count}, messages.SUCCESS)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """The ratings, read-only; the list opens with the results per page."""

    list_display = ["created_on", "page", "rating", "answer", "details", "language"]
    list_filter = ["rating", "answer", "language", "created_on"]
    search_fields = ["page", "details"]
    change_list_template = "admin/portal/feedback/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        results = selectors.feedback_results()
        labels = dict(FeedbackAnswer.choices)
        for row in results:
            row["answers"] = [(labels.get(value, value), count) for value, count in row["answers"]]
        return super().changelist_view(request, {**(extra_context or {}), "feedback_results": results})
