import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .area import area_context
from .forms import OrganisationForm
from .selectors import organisation_get_for_user, organisation_list_for_user, organisation_members
from .services import organisation_register


@login_required
def personal_area(request):
    user = request.user
    return render(
        request,
        "accounts/personal_area.html",
        {
            "memberships": organisation_list_for_user(user=user),
            "can_register_organisation": user.has_perm("accounts.register_organisation"),
            "can_review": rules.has_perm("applications.review_workspace", user),
            "can_see_dashboard": rules.has_perm("applications.view_review_dashboard", user),
            "can_see_registry": rules.has_perm("properties.view_registry", user),
            **area_context(request),
        },
    )


@login_required
def organisation_create(request):
    if not request.user.has_perm("accounts.register_organisation"):
        messages.error(request, _("Solo gli offerenti possono registrare un'organizzazione."))
        return redirect("accounts:area")
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = form.save(commit=False)
        try:
            organisation_register(
                by=request.user,
                organisation=organisation,
                role=data["membership_role"],
                office=data.get("office", ""),
                proxy_document=data.get("proxy_document"),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Organizzazione registrata."))
            return redirect(organisation.get_absolute_url())
    return render(request, "accounts/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request, pk: int):
    organisation = organisation_get_for_user(user=request.user, pk=pk)
    if organisation is None:
        # Not "forbidden": whether another body's record exists is not disclosed.
        raise Http404
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "members": organisation_members(organisation=organisation)},
    )
