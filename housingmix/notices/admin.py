"""Back office for Avvisi and FAQ. Every write goes through notices.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from housingmix.core.admin import ReadOnlyAdmin
from housingmix.core.admin_widgets import SafeAutocompleteMixin

from . import services
from .models import CONTENT_FIELDS, DocumentKind, FaqEntry, FaqTopic, Notice, NoticeDocument, NoticeStatus


class NoticeAdminForm(forms.ModelForm):
    amendment_reason = forms.CharField(
        label=_("Motivo della rettifica"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obbligatorio se modifichi un avviso già pubblicato: sarà pubblicato con la rettifica."),
    )

    class Meta:
        model = Notice
        fields = CONTENT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One labelled input per date-time: the admin's split date + time pair has one label
        # for two inputs (axe "label").
        for name in ("opens_at", "closes_at"):
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = forms.DateTimeField(
                    label=old.label,
                    required=old.required,
                    help_text=old.help_text,
                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                    input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
                )

    def clean(self):
        data = super().clean()
        instance = self.instance
        if instance.pk and instance.status != NoticeStatus.DRAFT and self.changed_data:
            if instance.status not in (NoticeStatus.PUBLISHED, NoticeStatus.AMENDED):
                raise ValidationError(_("Un avviso chiuso, ritirato o archiviato non può essere modificato."))
            content_changed = [f for f in self.changed_data if f != "amendment_reason"]
            if content_changed and not (data.get("amendment_reason") or "").strip():
                self.add_error("amendment_reason", _("Indica il motivo della rettifica: sarà pubblicato."))
        return data


class FaqEntryInline(SafeAutocompleteMixin, admin.StackedInline):
    model = FaqEntry
    extra = 0
    fields = ["topic", "question", "answer", "order", "is_published"]
    autocomplete_fields = ["topic"]


class DocumentUploadForm(forms.ModelForm):
    upload = forms.FileField(label=_("File"))

    class Meta:
        model = NoticeDocument
        fields = ["kind", "title"]
        widgets = {
            "kind": forms.Select(
                choices=[
                    (DocumentKind.APPLICATION_FORM, DocumentKind.APPLICATION_FORM.label),
                    (DocumentKind.ANNEX, DocumentKind.ANNEX.label),
                ]
            )
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Motivo del ritiro (sarà pubblicato)"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    form = NoticeAdminForm
    list_display = ["title", "kind", "status", "opens_at", "closes_at", "preview_link"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "act_number"]
    date_hierarchy = "opens_at"
    inlines = [FaqEntryInline]
    actions = ["action_publish", "action_close", "action_archive"]
    fieldsets = (
        (None, {"fields": ("title", "kind", "summary", "body")}),
        (_("Atto e date"), {"fields": ("act_number", "act_date", "cig", "cup", "opens_at", "closes_at")}),
        (
            _("Responsabile e contatti"),
            {"fields": ("rup", "contact_office", "contact_email", "contact_pec", "contact_phone")},
        ),
        (_("Rettifica"), {"fields": ("amendment_reason",)}),
    )

    @admin.display(description=_("Anteprima"))
    def preview_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), gettext("Apri"))

    def get_urls(self):
        return [
            path("<int:pk>/withdraw/", self.admin_site.admin_view(self.withdraw_view), name="notices_notice_withdraw"),
            path("<int:pk>/upload/", self.admin_site.admin_view(self.upload_view), name="notices_notice_upload"),
            path("<int:pk>/publish/", self.admin_site.admin_view(self.publish_view), name="notices_notice_publish"),
        ] + super().get_urls()

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in CONTENT_FIELDS if name in form.cleaned_data}
        if not change:
            created = services.notice_create(by=request.user, **data)
            obj.pk, obj.slug = created.pk, created.slug
            return
        services.notice_update(
            notice=obj, by=request.user, reason=form.cleaned_data.get("amendment_reason", ""), **data
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(fs.has_changed() for fs in formsets):
            services.faq_changed(notice=Notice.objects.get(pk=form.instance.pk), by=request.user)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for entry in instances:
            entry.notice_id = form.instance.pk
            services.faq_entry_save(entry=entry, by=request.user)

    def _run(self, request, queryset, service, done_message):
        done = 0
        for notice in queryset:
            try:
                service(notice=notice, by=request.user)
                done += 1
            except PermissionDenied:
                self.message_user(request, gettext("Non hai il permesso per questa operazione."), messages.ERROR)
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("«%(title)s» (stato «%(state)s»): %(problems)s")
                    % {
                        "title": notice.title,
                        "state": notice.get_status_display(),
                        "problems": " ".join(error.messages),
                    },
                    messages.ERROR,
                )
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Pubblica gli avvisi selezionati"))
    def action_publish(self, request, queryset):
        self._run(request, queryset, services.notice_publish, gettext("Avvisi pubblicati: %(n)s."))

    @admin.action(description=_("Chiudi gli avvisi selezionati"))
    def action_close(self, request, queryset):
        self._run(request, queryset, services.notice_close, gettext("Avvisi chiusi: %(n)s."))

    @admin.action(description=_("Archivia gli avvisi selezionati"))
    def action_archive(self, request, queryset):
        self._run(request, queryset, services.notice_archive, gettext("Avvisi archiviati: %(n)s."))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        # A non-numeric id ("abc") is no notice: the admin answers "does not exist", not a 500.
        if str(object_id).isdigit():
            extra_context["withdraw_url"] = reverse("admin:notices_notice_withdraw", args=[object_id])
            extra_context["upload_url"] = reverse("admin:notices_notice_upload", args=[object_id])
            extra_context["publish_url"] = reverse("admin:notices_notice_publish", args=[object_id])
            extra_context["notice_documents"] = list(
                NoticeDocument.objects.filter(notice_id=int(object_id)).order_by("kind", "-version", "-pk")
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def publish_view(self, request, pk):
        """The notice page's "Pubblica" button (POST): the same service as the list's action."""
        notice = self.get_object(request, str(pk))
        if notice is None or not self.has_change_permission(request, notice):
            raise PermissionDenied
        if request.method == "POST":
            self._run(request, [notice], services.notice_publish, gettext("Avvisi pubblicati: %(n)s."))
        return redirect("admin:notices_notice_change", pk)

    def message_user(self, request, message, *args, **kwargs):
        # Django writes "Il avviso …"; Italian elides the article before a vowel.
        text = str(message)
        if text.startswith("Il avviso"):
            text = "L'avviso" + text[len("Il avviso") :]
            message = mark_safe(text) if isinstance(message, SafeData) else text  # noqa: S308  # nosec B308 B703
        return super().message_user(request, message, *args, **kwargs)

    def withdraw_view(self, request, pk):
        notice = self.get_object(request, str(pk))
        if notice is None or not self.has_change_permission(request, notice):
            raise PermissionDenied
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.notice_withdraw(notice=notice, by=request.user, reason=form.cleaned_data["reason"])
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [gettext("Operazione non consentita.")])))
            else:
                messages.success(request, gettext("Avviso ritirato."))
                return redirect("admin:notices_notice_change", pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Ritira l'avviso"),
            "notice": notice,
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/notices/notice_withdraw.html", context)

    def upload_view(self, request, pk):
        notice = self.get_object(request, str(pk))
        if notice is None or not self.has_change_permission(request, notice):
            raise PermissionDenied
        form = DocumentUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                document = services.document_upload(
                    notice=notice,
                    by=request.user,
                    upload=form.cleaned_data["upload"],
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as error:
                form.add_error("upload", error)
            else:
                messages.success(request, gettext("Documento caricato (versione %(v)s).") % {"v": document.version})
                return redirect("admin:notices_notice_change", pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Carica un allegato"),
            "notice": notice,
            "form": form,
            "opts": self.model._meta,
            "documents": notice.documents.order_by("kind", "title", "-version"),
        }
        return render(request, "admin/notices/notice_upload.html", context)


@admin.register(NoticeDocument)
class NoticeDocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "notice", "kind", "version", "size", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["notice"]
    readonly_fields = [f.name for f in NoticeDocument._meta.fields]


@admin.register(FaqTopic)
class FaqTopicAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    search_fields = ["name"]


@admin.register(FaqEntry)
class FaqEntryAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """The programme's general FAQ (entries without a notice); a notice's FAQ is edited in the notice."""

    list_display = ["question", "topic", "notice", "is_published", "updated_at"]
    list_filter = ["is_published", "topic"]
    list_select_related = ["topic", "notice"]
    search_fields = ["question"]
    fields = ["notice", "topic", "question", "answer", "order", "is_published"]
    autocomplete_fields = ["topic", "notice"]

    def save_model(self, request, obj, form, change):
        services.faq_entry_save(entry=obj, by=request.user)

    def delete_model(self, request, obj):
        notice = obj.notice
        obj.delete()
        services.faq_changed(notice=notice, by=request.user)
