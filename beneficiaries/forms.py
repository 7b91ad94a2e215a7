"""Forms of the beneficiaries pages: validation only; views pass cleaned_data to services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from housingmix.core.fields import ItalianDecimalField
from housingmix.territory.models import Comune

from .models import ActionLine, ContractKind, Goal, Household, Member, OutcomeKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = [
            "comune",
            "contact_phone",
            "contact_email",
            "isee_value",
            "isee_kind",
            "dsu_date",
            "dsu_expiry",
            "housing_situation",
            "housing_notes",
            "needs",
            "monthly_budget",
            "preferred_comuni",
            "managing_organisation",
            "project",
        ]
        widgets = {"dsu_date": DATE, "dsu_expiry": DATE, "preferred_comuni": forms.CheckboxSelectMultiple}
        field_classes = {"isee_value": ItalianDecimalField, "monthly_budget": ItalianDecimalField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The comuni of the Ambito only.
        self.fields["comune"].queryset = Comune.objects.order_by("name")
        self.fields["preferred_comuni"].queryset = Comune.objects.order_by("name")


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "first_name",
            "last_name",
            "tax_code",
            "birth_date",
            "relation",
            "occupation",
            "disability",
            "health_notes",
            "needs_step_free",
        ]
        widgets = {
            "birth_date": DATE,
            "disability": forms.Textarea(attrs={"rows": 2}),
            "health_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_code"].widget.attrs["autocomplete"] = "off"
        self.fields["needs_step_free"] = forms.TypedChoiceField(
            label=Member._meta.get_field("needs_step_free").verbose_name,
            choices=[("", _("Non indicato")), ("1", _("Sì")), ("0", _("No"))],
            coerce=lambda v: v == "1",
            empty_value=None,
            required=False,
        )

    def validate_unique(self):
        # The household does not exist yet when referring; the service checks duplicates.
        pass


# absolute_max: a forged TOTAL_FORMS cannot make the server build (and render) a thousand forms.
MemberFormSet = forms.formset_factory(
    MemberForm, extra=2, min_num=1, validate_min=True, max_num=15, validate_max=True, absolute_max=15
)


class ProjectLinkForm(forms.ModelForm):
    """The co-design project of a household (active agreements only: ``limit_choices_to``)."""

    class Meta:
        model = Household
        fields = ["project"]


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("Motivo"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["description", "indicator", "baseline", "target", "due_on"]
        widgets = {"due_on": DATE}


class ActionForm(forms.Form):
    line = forms.ChoiceField(label=_("Linea d'azione"), choices=ActionLine.choices)
    done_on = forms.DateField(label=_("Data"), widget=DATE)
    hours = ItalianDecimalField(label=_("Ore"), min_value=0.25, max_value=24, decimal_places=2)
    note = forms.CharField(label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Data della verifica"), widget=DATE)
    notes = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields["goal_%d_value" % goal.pk] = forms.CharField(
                label=_("Valore rilevato per «%(goal)s»") % {"goal": goal.description}, max_length=100
            )
            self.fields["goal_%d_reached" % goal.pk] = forms.BooleanField(
                label=_("Obiettivo «%(goal)s» raggiunto") % {"goal": goal.description}, required=False
            )

    def progress(self) -> dict[int, dict]:
        return {
            goal.pk: {
                "value": self.cleaned_data["goal_%d_value" % goal.pk],
                "reached": self.cleaned_data["goal_%d_reached" % goal.pk],
            }
            for goal in self.goals
        }


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Esito"), choices=OutcomeKind.choices)
    note = forms.CharField(label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisione"), choices=[("accepted", _("Accetto")), ("declined", _("Rifiuto"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Motivo (obbligatorio in caso di rifiuto)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlacementForm(forms.Form):
    contract_kind = forms.ChoiceField(label=_("Tipo di contratto"), choices=ContractKind.choices)
    signed_on = forms.DateField(label=_("Sottoscritto il"), widget=DATE)
    start_on = forms.DateField(label=_("Inizio"), widget=DATE)
    end_on = forms.DateField(label=_("Fine"), widget=DATE)
    monthly_rent = ItalianDecimalField(label=_("Canone mensile (€)"), min_value=0, decimal_places=2)
    household_share = ItalianDecimalField(label=_("Quota del nucleo (€)"), min_value=0, decimal_places=2)
    contribution_share = ItalianDecimalField(label=_("Contributo del programma (€)"), min_value=0, decimal_places=2)
    deposit = ItalianDecimalField(label=_("Deposito cauzionale (€)"), min_value=0, decimal_places=2)
    house_rules_accepted = forms.BooleanField(label=_("Regolamento di convivenza accettato"), required=False)


class RegistrationForm(forms.Form):
    registered_on = forms.DateField(label=_("Data di registrazione"), widget=DATE)
    code = forms.CharField(label=_("Codice di registrazione"), max_length=40)
