"""Forms of the review pages: they validate input only; views pass cleaned_data to services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from properties.models import HousingUnit

from ..models import VISIT_CHECKED_ITEMS, AttachmentKind, CheckItem, CheckOutcome, UnitOutcomeKind, VisitCheckItem

OUTCOME_CHOICES = [("", _("Da verificare")), *CheckOutcome.choices]
INTEGRATION_KINDS = [(k, label) for k, label in AttachmentKind.choices if k != AttachmentKind.SIGNED_SUMMARY]


class StateForm(forms.Form):
    """Carries the state the page showed, so a move on a stale page is refused."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class AssignForm(StateForm):
    reviewer = forms.ModelChoiceField(label=_("Istruttore"), queryset=None)

    def __init__(self, *args, reviewers, choices=None, **kwargs):
        """``reviewers`` validates the choice; ``choices`` (pk, label), if given, renders it."""
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        field.queryset = reviewers
        field.label_from_instance = lambda u: (
            "%s%s"
            % (
                u.get_full_name() or u.email,
                " (%s)" % u.comune.name if u.comune_id else "",
            )
        )
        if choices is not None:
            field.choices = [("", _("Scegli")), *choices]


class ChecklistForm(forms.Form):
    """The seven checks of one unit: outcome and note each."""

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        checks = getattr(unit, "checks", {})
        for value, label in CheckItem.choices:
            current = checks.get(value)
            self.fields["outcome_%s" % value] = forms.ChoiceField(
                label=label,
                choices=OUTCOME_CHOICES,
                required=False,
                initial=current.outcome if current else "",
            )
            self.fields["note_%s" % value] = forms.CharField(
                label=_("Nota: %(item)s") % {"item": label},
                required=False,
                max_length=2000,
                initial=current.note if current else "",
            )

    def rows(self):
        return [(self["outcome_%s" % v], self["note_%s" % v]) for v, _label in CheckItem.choices]

    def checks(self) -> dict[str, tuple[str, str]]:
        return {v: (self.cleaned_data["outcome_%s" % v], self.cleaned_data["note_%s" % v]) for v in CheckItem.values}


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Nota interna"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class InfoRequestForm(StateForm):
    items = forms.CharField(
        label=_("Documenti o chiarimenti richiesti"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Uno per riga: l'offerente li vedrà così nella sua area."),
    )
    deadline = forms.DateField(
        label=_("Termine per rispondere"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ReasonForm(StateForm):
    reason = forms.CharField(
        label=_("Motivo (sarà comunicato all'offerente)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class DecisionForm(StateForm):
    reasons = forms.CharField(
        label=_("Motivazione (sarà comunicata all'offerente)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )


class ProposalForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Esito proposto"),
        choices=[
            ("", _("Scegli…")),
            ("eligible", _("Idonea")),
            ("refusal_notice", _("Preavviso di diniego")),
        ],
    )
    reasons = forms.CharField(
        label=_("Motivazione della proposta (per l'Ufficio di Piano)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )


class EligibleForm(DecisionForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Alloggi idonei"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, units, **kwargs):
        """``units``: the manifestation's units (a list, already loaded, or a queryset)."""
        super().__init__(*args, **kwargs)
        units = list(units)
        ids = [u.pk for u in units]
        self.fields["units"].queryset = HousingUnit.objects.filter(pk__in=ids)
        self.fields["units"].initial = ids
        # Rendered from the loaded list: no query per page view.
        self.fields["units"].choices = [(u.pk, u.display_name) for u in units]


class UnitOutcomesForm(StateForm):
    """One act deciding each unit: an outcome (from ``allowed``) and its reasons per unit."""

    reasons = forms.CharField(
        label=_("Motivazione dell'atto (sarà comunicata all'offerente)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
    )

    def __init__(self, *args, units, allowed, **kwargs):
        """``units``: the units to decide (loaded list); ``allowed``: the outcomes possible now."""
        super().__init__(*args, **kwargs)
        self.units = list(units)
        choices = [("", _("Scegli…"))] + [(k, label) for k, label in UnitOutcomeKind.choices if k in allowed]
        for unit in self.units:
            self.fields["outcome_%d" % unit.pk] = forms.ChoiceField(
                label=_("Esito: %(unit)s") % {"unit": unit.display_name}, choices=choices
            )
            self.fields["reasons_%d" % unit.pk] = forms.CharField(
                label=_("Motivazione per l'alloggio %(unit)s (obbligatoria se non idoneo)")
                % {"unit": unit.display_name},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=5000,
                required=False,
            )

    def rows(self):
        return [(u, self["outcome_%d" % u.pk], self["reasons_%d" % u.pk]) for u in self.units]

    def outcomes(self) -> dict[int, tuple[str, str]]:
        return {
            u.pk: (self.cleaned_data["outcome_%d" % u.pk], self.cleaned_data["reasons_%d" % u.pk]) for u in self.units
        }


class SiteVisitForm(StateForm):
    visit_date = forms.DateField(
        label=_("Data del sopralluogo"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    attendees = forms.CharField(label=_("Presenti"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    summary = forms.CharField(
        label=_("Esito complessivo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )
    photo_1 = forms.FileField(label=_("Fotografia (JPEG o PNG)"), required=False)
    photo_2 = forms.FileField(label=_("Altra fotografia"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        if self.units:
            self.fields["units"] = forms.MultipleChoiceField(
                label=_("Alloggi visitati"),
                choices=[(str(u.pk), u.display_name) for u in self.units],
                initial=[str(u.pk) for u in self.units],
                widget=forms.CheckboxSelectMultiple,
            )
        # One checklist per unit: "outcome_<unit>_<item>" and "note_<unit>_<item>".
        for unit in self.units:
            for item in VISIT_CHECKED_ITEMS:
                self.fields["outcome_%d_%s" % (unit.pk, item)] = forms.ChoiceField(
                    label=item.label, choices=OUTCOME_CHOICES, required=False
                )
                self.fields["note_%d_%s" % (unit.pk, item)] = forms.CharField(
                    label=_("Nota: %(item)s, %(unit)s") % {"item": item.label, "unit": unit.display_name},
                    required=False,
                    max_length=2000,
                )
            self.fields["note_%d_%s" % (unit.pk, VisitCheckItem.NOTES)] = forms.CharField(
                label=_("Altre osservazioni: %(unit)s") % {"unit": unit.display_name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=2000,
            )

    def checklists(self):
        """(unit, [(outcome field, note field)], notes field) of each unit, for the template."""
        return [
            (
                unit,
                [
                    (self["outcome_%d_%s" % (unit.pk, i)], self["note_%d_%s" % (unit.pk, i)])
                    for i in VISIT_CHECKED_ITEMS
                ],
                self["note_%d_%s" % (unit.pk, VisitCheckItem.NOTES)],
            )
            for unit in self.units
        ]

    def clean(self):
        data = super().clean()
        chosen = self.chosen_units() if "units" in data else None
        if chosen is not None:
            skipped = [u for u in self.units if u not in chosen and self._checks_of(u)]
            if skipped:
                # Checks typed for a unit then unticked would be dropped without a word.
                raise forms.ValidationError(
                    _("Hai compilato le verifiche di un alloggio non indicato tra quelli visitati: %(units)s.")
                    % {"units": ", ".join(u.display_name for u in skipped)}
                )
        return data

    def _checks_of(self, unit) -> dict[str, tuple[str, str]]:
        """What was typed in ``unit``'s checklist: item -> (outcome, note), empty items left out."""
        data, checks = self.cleaned_data, {}
        for item in VisitCheckItem.values:
            outcome = data.get("outcome_%d_%s" % (unit.pk, item), "")
            note = data.get("note_%d_%s" % (unit.pk, item), "")
            if outcome or note:
                checks[item] = (outcome, note)
        return checks

    def clean_visit_date(self):
        value = self.cleaned_data["visit_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Il sopralluogo si registra dopo averlo svolto."))
        return value

    def outcomes(self) -> dict[int, dict[str, tuple[str, str]]]:
        """The checklist of each unit ticked as visited: unit pk -> item -> (outcome, note)."""
        chosen = self.chosen_units()
        return {unit.pk: self._checks_of(unit) for unit in (self.units if chosen is None else chosen)}

    def photos(self):
        return [f for f in (self.cleaned_data.get("photo_1"), self.cleaned_data.get("photo_2")) if f]

    def chosen_units(self):
        """The units ticked (None: the form offers no choice, every unit)."""
        if "units" not in self.fields:
            return None
        wanted = set(self.cleaned_data["units"])
        return [u for u in self.units if str(u.pk) in wanted]


class SiteVisitPlanForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Data e ora del sopralluogo"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    notes = forms.CharField(
        label=_("Indicazioni per l'offerente (facoltative)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.fields["units"] = forms.MultipleChoiceField(
            label=_("Alloggi da visitare"),
            choices=[(str(u.pk), u.display_name) for u in self.units],
            initial=[str(u.pk) for u in self.units],
            widget=forms.CheckboxSelectMultiple,
        )

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Il sopralluogo si programma per una data futura."))
        return value

    def chosen_units(self):
        wanted = set(self.cleaned_data["units"])
        return [u for u in self.units if str(u.pk) in wanted]


class OffererReplyForm(forms.Form):
    """An integrazione or observations: text and up to three new documents, each with its kind
    (chosen on purpose: the menu starts on a neutral "Scegli…") and, optionally, its unit."""

    # (file label, kind label, unit label) of each of the three documents.
    LABELS = {
        1: (
            _("Primo documento (PDF, JPEG, PNG o P7M)"),
            _("Tipo del primo documento"),
            _("Alloggio del primo documento"),
        ),
        2: (_("Secondo documento"), _("Tipo del secondo documento"), _("Alloggio del secondo documento")),
        3: (_("Terzo documento"), _("Tipo del terzo documento"), _("Alloggio del terzo documento")),
    }

    text = forms.CharField(label=_("Testo"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        unit_choices = [("", _("Tutta la manifestazione"))] + [(str(u.pk), u.display_name) for u in units]
        for i, (file_label, kind_label, unit_label) in self.LABELS.items():
            self.fields["kind_%d" % i] = forms.ChoiceField(
                label=kind_label, choices=[("", _("Scegli…")), *INTEGRATION_KINDS], required=False
            )
            if len(unit_choices) > 1:
                self.fields["unit_%d" % i] = forms.ChoiceField(label=unit_label, choices=unit_choices, required=False)
            self.fields["file_%d" % i] = forms.FileField(label=file_label, required=False)

    def clean(self):
        data = super().clean()
        for i in self.LABELS:
            if data.get("file_%d" % i) and not data.get("kind_%d" % i):
                self.add_error("kind_%d" % i, _("Scegli il tipo di documento."))
        return data

    def uploads(self):
        return [
            (
                self.cleaned_data["file_%d" % i],
                self.cleaned_data["kind_%d" % i],
                int(self.cleaned_data["unit_%d" % i]) if self.cleaned_data.get("unit_%d" % i) else None,
            )
            for i in self.LABELS
            if self.cleaned_data.get("file_%d" % i)
        ]
