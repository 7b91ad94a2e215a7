"""The offerer's pages: their manifestations and the step-by-step form.

Every page loads the manifestation through a selector that answers None for anyone but
the owner (and staff): another account's link, or a guessed id, is a plain 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from housingmix.core import audit, drafts
from housingmix.core.files import private_file_response
from housingmix.identity.selectors import session_identity, verified_identity_for
from housingmix.notices.models import PUBLIC_STATUSES, Notice, NoticeKind
from housingmix.territory.selectors import ambito_current, comune_list
from properties.forms import UnitDataForm, UnitTermsForm

from . import completeness, selectors, services
from .forms import AttachmentForm, ConfirmForm, DeclarationsForm, OffererForm, StartForm, WithdrawForm
from .models import WITHDRAWABLE_STATUSES, AttachmentKind

PAGE_SIZE = 20


def _application(request, ref):
    application = selectors.application_get_for_user(user=request.user, reference=ref)
    if application is None:
        raise Http404
    return application


def _frozen_redirect(request, application):
    """Pages that edit: a submitted manifestation goes to its page with an explanation."""
    if application.is_draft and request.user.has_perm("applications.edit_draft", application):
        return None
    if not application.is_draft:
        messages.info(request, _("La manifestazione è stata presentata: il suo contenuto non è più modificabile."))
    return redirect(application.get_absolute_url())


def _valid_part(form) -> dict:
    """The fields that passed validation: saved even when others did not, so nothing typed is lost."""
    return {name: value for name, value in form.cleaned_data.items() if name not in form.errors}


def _step_context(application, step: str, *, missing=None, **extra) -> dict:
    """The step indicator: the current step, and a check on each step with nothing missing."""
    if missing is None:
        missing = completeness.missing_items(application)
    urls = {s.slug: reverse(s.url_name, kwargs={"ref": application.reference}) for s in completeness.STEPS}
    steps = drafts.step_indicator(completeness.STEPS, current=step, missing=missing, urls=urls, final="summary")
    current = next(row["number"] for row in steps if row["slug"] == step)
    return {
        "application": application,
        "steps": steps,
        "step": step,
        "step_number": current,
        "missing": missing,
        **extra,
    }


def _after_save(request, application, next_url: str, stay_url: str):
    if "next" in request.POST:
        return redirect(next_url)
    messages.success(request, _("Bozza salvata."))
    return redirect(stay_url)


# --- Offerer area --------------------------------------------------------------


@login_required
def application_list(request):
    page = Paginator(selectors.application_list_for_offerer(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    notices = Notice.objects.filter(kind=NoticeKind.INTEREST, status__in=PUBLIC_STATUSES).order_by("-opens_at")[:5]
    return render(
        request,
        "applications/application_list.html",
        {"page_obj": page, "open_notices": [n for n in notices if n.is_open]},
    )


@login_required
def inbox(request):
    """Every communication received for the user's manifestations, newest first, unread marked."""
    page = Paginator(selectors.inbox_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(request, "applications/inbox.html", {"page_obj": page})
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def application_start(request, slug):
    notice = get_object_or_404(Notice, slug=slug, status__in=PUBLIC_STATUSES)
    if not request.user.has_perm("accounts.register_organisation"):
        messages.error(
            request, _("Solo chi si registra come offerente può presentare una manifestazione di interesse.")
        )
        return redirect(notice.get_absolute_url())
    if notice.kind != NoticeKind.INTEREST or not notice.is_open:
        messages.error(request, _("Questo avviso non accetta manifestazioni di interesse in questo momento."))
        return redirect(notice.get_absolute_url())
    draft = selectors.application_draft_for_notice(user=request.user, notice=notice)
    memberships = list(request.user.memberships.select_related("organisation").order_by("organisation__name"))
    form = StartForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["on_behalf_of"]
        organisation = next((m.organisation for m in memberships if str(m.organisation_id) == choice), None)
        try:
            application = services.application_start(notice=notice, by=request.user, organisation=organisation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(notice.get_absolute_url())
        messages.success(request, _("Bozza creata: puoi salvarla a ogni passaggio e riprenderla dall'area personale."))
        return redirect("applications:offerer", ref=application.reference)
    return render(request, "applications/application_start.html", {"notice": notice, "form": form, "draft": draft})


@login_required
def application_detail(request, ref):
    application = _application(request, ref)
    is_owner = services.is_owner(user=request.user, application=application)
    if not is_owner:  # staff reading an offerer's file: part of the audit trail
        audit.record(target=application, verb="application.viewed", by=request.user)
    context = {
        "application": application,
        "units": selectors.application_units(application=application),
        "attachments": selectors.application_attachments(application=application),
        "documents": selectors.application_generated_documents(application=application),
        "history": selectors.application_public_history(application=application),
        "can_withdraw": is_owner and application.status in WITHDRAWABLE_STATUSES,
        "can_edit": application.is_draft and request.user.has_perm("applications.edit_draft", application),
        "receipt_pending": selectors.application_receipt_pending(application=application),
    }
    if context["can_edit"]:
        context["missing"] = completeness.missing_items(application)
    return render(request, "applications/application_detail.html", context)


# --- Steps ------------------------------------------------------------------------


@login_required
def step_offerer(request, ref):
    application = _application(request, ref)
    if response := _frozen_redirect(request, application):
        return response
    identity = verified_identity_for(application.created_by)
    form = OffererForm(
        request.POST or None, instance=application, verified_code=identity.fiscal_code if identity else ""
    )
    if request.method == "POST":
        valid = form.is_valid()
        services.application_update(application=application, by=request.user, fields=_valid_part(form))
        if valid:
            return _after_save(
                request,
                application,
                reverse("applications:units", kwargs={"ref": ref}),
                reverse("applications:offerer", kwargs={"ref": ref}),
            )
        messages.warning(request, _("Abbiamo salvato i dati corretti: correggi i campi segnalati."))
    return render(request, "applications/step_offerer.html", _step_context(application, "offerer", form=form))


@login_required
def step_units(request, ref):
    application = _application(request, ref)
    if response := _frozen_redirect(request, application):
        return response
    if request.method == "POST":
        unit = services.unit_add(application=application, by=request.user)
        return redirect("applications:unit_data", ref=ref, unit=unit.pk)
    units = list(selectors.application_units(application=application))
    return render(request, "applications/step_units.html", _step_context(application, "units", units=units))


def _unit(application, unit_id):
    unit = application.units.select_related("comune").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def _photo_form(unit, data=None, files=None) -> AttachmentForm:
    """The photo upload of the unit data step. Its inputs belong to the unit's form (HTML
    ``form`` attribute), so an upload sends, and saves, everything typed with it."""
    max_size = filesizeformat(settings.APPLICATION_UPLOAD_MAX_BYTES)
    form = AttachmentForm(data, files, units=[unit], max_size=max_size, initial={"kind": "photo"}, prefix="photo")
    if data is not None:
        form.data = form.data.copy()
        form.data["photo-kind"] = AttachmentKind.PHOTO
    form.fields["file"].help_text = _("JPEG o PNG; al massimo %(size)s.") % {"size": max_size}
    form.fields["file"].widget.attrs["accept"] = ".jpg,.jpeg,.png,image/jpeg,image/png"
    for name in ("description", "file"):
        form.fields[name].widget.attrs["form"] = "unit-data-form"
    return form


@login_required
def step_unit_data(request, ref, unit):
    application = _application(request, ref)
    if response := _frozen_redirect(request, application):
        return response
    unit = _unit(application, unit)
    ambito = ambito_current()
    form = UnitDataForm(request.POST or None, instance=unit, comuni=comune_list(ambito=ambito))
    photo_form = _photo_form(unit)
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        services.unit_update(unit=unit, by=request.user, fields=_valid_part(form))
        here = reverse("applications:unit_data", kwargs={"ref": ref, "unit": unit.pk})
        if "upload_photo" in request.POST:
            # The draft is saved above with the upload: nothing typed is lost, valid or not.
            photo_form = _photo_form(unit, request.POST, request.FILES)
            attachment = _upload(request, application, photo_form, unit=unit)
            if attachment is not None:
                messages.success(request, _("Fotografia caricata e bozza salvata."))
                if valid:
                    return redirect(here + "#photos")
                photo_form = _photo_form(unit)
            else:
                status = 400
                for error in photo_form.errors.get("file", []) + photo_form.non_field_errors():
                    messages.error(request, error)
            if not valid:
                messages.warning(request, _("Abbiamo salvato i dati corretti: correggi i campi segnalati."))
        elif valid:
            return _after_save(
                request, application, reverse("applications:unit_terms", kwargs={"ref": ref, "unit": unit.pk}), here
            )
        else:
            messages.warning(request, _("Abbiamo salvato i dati corretti: correggi i campi segnalati."))
    photos = unit.attachments.filter(kind=AttachmentKind.PHOTO).order_by("created_at", "pk")
    response = render(
        request,
        "applications/step_unit_data.html",
        _step_context(application, "unit_data", form=form, unit=unit, photos=photos, photo_form=photo_form),
    )
    response.status_code = status
    return response


@login_required
def step_unit_terms(request, ref, unit):
    application = _application(request, ref)
    if response := _frozen_redirect(request, application):
        return response
    unit = _unit(application, unit)
    form = UnitTermsForm(request.POST or None, instance=unit)
    if request.method == "POST":
        valid = form.is_valid()
        services.unit_update(unit=unit, by=request.user, fields=_valid_part(form))
        if valid:
            following = application.units.filter(position__gt=unit.position).order_by("position", "pk").first()
            next_url = (
                reverse("applications:unit_data", kwargs={"ref": ref, "unit": following.pk})
                if following
                else reverse("applications:units", kwargs={"ref": ref})
            )
            return _after_save(
                request, application, next_url, reverse("applications:unit_terms", kwargs={"ref": ref, "unit": unit.pk})
            )
        messages.warning(request, _("Abbiamo salvato i dati corretti: correggi i campi segnalati."))
    return render(
        request, "applications/step_unit_terms.html", _step_context(application, "terms", form=form, unit=unit)
    )


@login_required
@require_POST
def unit_duplicate(request, ref, unit):
    application = _application(request, ref)
    if response := _frozen_redirect(request, application):
        return response
    copy = services.unit_duplicate(unit=_unit(application, unit), by=request.user)
    messages.success(
        request, _("Alloggio duplicato: controlla indirizzo, interno e subalterno, e carica le sue fotografie.")
    )
    return redirect("applications:unit_data", ref=ref, unit=copy.pk)


@login_required
def unit_remove(request, ref, unit):
    application = _application(request, ref)
    if response := _frozen_redirect(request, application):
        return response
    unit = _unit(application, unit)
    if request.method == "POST":
        services.unit_remove(unit=unit, by=request.user)
        messages.success(request, _("Alloggio eliminato dalla bozza."))
        return redirect("applications:units", ref=ref)
    return render(
        request, "applications/unit_remove.html", _step_context(application, "units", unit=unit, form=ConfirmForm())
    )


def _upload(request, application, form, *, unit=None):
    """Run an upload; returns the attachment, or None with the errors added to ``form``
    (whose typed values are kept for the page)."""
    if not form.is_valid():
        return None
    unit_id = form.cleaned_data.get("unit") if unit is None else unit.pk
    target = application.units.filter(pk=unit_id).first() if unit_id else None
    if unit_id and target is None:
        raise Http404
    try:
        attachment = services.attachment_add(
            application=application,
            by=request.user,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            unit=target,
            description=form.cleaned_data.get("description", ""),
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
            form.add_error(field if field in form.fields else "file", errors)
        return None
    return attachment


def _upload_response(request, form, attachment, redirect_url):
    """XHR uploads (progress bar) get JSON; plain form posts get the page or a redirect."""
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        if attachment is not None:
            return JsonResponse({"ok": True, "redirect": redirect_url})
        errors = [
            {
                "field": field,
                "id": form[field].id_for_label if field in form.fields else "",
                "label": str(form[field].label) if field in form.fields else "",
                "messages": [str(m) for m in msgs],
            }
            for field, msgs in form.errors.items()
        ]
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    return None


@login_required
def unit_photo(request, ref, unit):
    application = _application(request, ref)
    if response := _frozen_redirect(request, application):
        return response
    unit = _unit(application, unit)
    if request.method != "POST":
        return redirect("applications:unit_data", ref=ref, unit=unit.pk)
    form = AttachmentForm(
        request.POST, request.FILES, units=[unit], max_size=filesizeformat(settings.APPLICATION_UPLOAD_MAX_BYTES)
    )
    form.data = form.data.copy()
    form.data["kind"] = AttachmentKind.PHOTO
    attachment = _upload(request, application, form, unit=unit)
    url = reverse("applications:unit_data", kwargs={"ref": ref, "unit": unit.pk}) + "#photos"
    if (response := _upload_response(request, form, attachment, url)) is not None:
        return response
    if attachment is not None:
        messages.success(request, _("Fotografia caricata."))
        return redirect(url)
    for error in form.errors.get("file", []) + form.non_field_errors():
        messages.error(request, error)
    return redirect(url)


@login_required
def step_attachments(request, ref):
    application = _application(request, ref)
    if response := _frozen_redirect(request, application):
        return response
    units = list(application.units.order_by("position", "pk"))
    max_size = filesizeformat(settings.APPLICATION_UPLOAD_MAX_BYTES)
    form = AttachmentForm(request.POST or None, request.FILES or None, units=units, max_size=max_size)
    url = reverse("applications:attachments", kwargs={"ref": ref})
    status = 200
    if request.method == "POST":
        attachment = _upload(request, application, form)
        if (response := _upload_response(request, form, attachment, url)) is not None:
            return response
        if attachment is not None:
            messages.success(request, _("Documento caricato: %(name)s.") % {"name": attachment.filename})
            return redirect(url)
        status = 400
    missing = completeness.missing_items(application)
    context = _step_context(
        application,
        "attachments",
        missing=missing,
        form=form,
        attachments=selectors.application_attachments(application=application),
        missing_attachments=[item for item in missing if item.step == "attachments"],
        max_size=max_size,
    )
    return render(request, "applications/step_attachments.html", context, status=status)


@login_required
@require_POST
def attachment_remove(request, ref, pk):
    application = _application(request, ref)
    if response := _frozen_redirect(request, application):
        return response
    attachment = get_object_or_404(application.attachments, pk=pk)
    services.attachment_remove(attachment=attachment, by=request.user)
    messages.success(request, _("Documento eliminato dalla bozza."))
    back = request.POST.get("back")
    if back == "unit" and attachment.unit_id:
        return redirect(reverse("applications:unit_data", kwargs={"ref": ref, "unit": attachment.unit_id}) + "#photos")
    return redirect("applications:attachments", ref=ref)


def _file_response(request, application, stored, *, filename: str, content_type: str, inline: bool):
    if not request.user.has_perm("applications.download_files", application):
        raise Http404
    if not services.is_owner(user=request.user, application=application):
        audit.record(target=application, verb="application.file_downloaded", by=request.user, data={"file": filename})
    return private_file_response(stored, filename=filename, content_type=content_type, inline=inline)


@login_required
def attachment_download(request, ref, pk, filename):
    application = _application(request, ref)
    attachment = get_object_or_404(application.attachments, pk=pk)
    return _file_response(
        request,
        application,
        attachment.file,
        filename=attachment.filename,
        content_type=attachment.content_type,
        inline=attachment.content_type in ("application/pdf", "image/jpeg", "image/png"),
    )


@login_required
def attachment_thumbnail(request, ref, pk):
    application = _application(request, ref)
    attachment = get_object_or_404(application.attachments, pk=pk)
    if not attachment.thumbnail:
        raise Http404
    return _file_response(
        request, application, attachment.thumbnail, filename="miniatura.jpg", content_type="image/jpeg", inline=True
    )


@login_required
def generated_download(request, ref, pk):
    application = _application(request, ref)
    document = get_object_or_404(selectors.application_generated_documents(application=application), pk=pk)
    return _file_response(
        request, application, document.file, filename=document.filename, content_type="application/pdf", inline=False
    )


@login_required
def step_declarations(request, ref):
    application = _application(request, ref)
    if response := _frozen_redirect(request, application):
        return response
    form = DeclarationsForm(request.POST or None, instance=application, identity=session_identity(request))
    if request.method == "POST" and form.is_valid():
        services.application_update(application=application, by=request.user, fields=form.cleaned_data)
        return _after_save(
            request,
            application,
            reverse("applications:summary", kwargs={"ref": ref}),
            reverse("applications:declarations", kwargs={"ref": ref}),
        )
    return render(request, "applications/step_declarations.html", _step_context(application, "declarations", form=form))


@login_required
def step_summary(request, ref):
    application = _application(request, ref)
    if not application.is_draft:
        return redirect(application.get_absolute_url())
    if response := _frozen_redirect(request, application):
        return response
    status = 200
    if request.method == "POST":
        try:
            application = services.application_submit(
                application=application, by=request.user, identity=session_identity(request)
            )
        except services.SubmissionIncomplete:
            messages.error(request, _("La manifestazione non è completa: correggi gli elementi elencati."))
            status = 400
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Manifestazione presentata con protocollo n. %(number)s. Riceverai la ricevuta per e-mail.")
                % {"number": application.protocol_number},
            )
            return redirect(application.get_absolute_url())
    context = _step_context(
        application,
        "summary",
        units=selectors.application_units(application=application),
        attachments=selectors.application_attachments(application=application),
        form=ConfirmForm(),
    )
    return render(request, "applications/step_summary.html", context, status=status)


@login_required
def application_withdraw(request, ref):
    application = _application(request, ref)
    if not services.is_owner(user=request.user, application=application):
        raise Http404
    if application.status not in WITHDRAWABLE_STATUSES:
        messages.error(request, _("In questo stato la manifestazione non può essere ritirata."))
        return redirect(application.get_absolute_url())
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(application=application, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Manifestazione ritirata."))
        return redirect(application.get_absolute_url())
    return render(request, "applications/application_withdraw.html", {"application": application, "form": form})


@login_required
def application_delete(request, ref):
    application = _application(request, ref)
    if response := _frozen_redirect(request, application):
        return response
    if request.method == "POST":
        services.application_delete_draft(application=application, by=request.user)
        messages.success(request, _("Bozza eliminata."))
        return redirect("applications:list")
    return render(request, "applications/application_delete.html", {"application": application, "form": ConfirmForm()})
