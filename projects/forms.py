"""Input of the co-design pages: validation only; the views pass ``cleaned_data`` to services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from housingmix.notices.models import Notice, NoticeKind, NoticeStatus

from .models import ActionLine, BudgetKind, ScoringMode


class CallForm(forms.Form):
    notice = forms.ModelChoiceField(
        label=_("Avviso di co-progettazione (in bozza)"),
        queryset=Notice.objects.filter(kind=NoticeKind.CODESIGN, status=NoticeStatus.DRAFT, codesign_call__isnull=True),
    )
    objectives = forms.CharField(label=_("Obiettivi"), widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(label=_("Requisiti di ammissione"), widget=forms.Textarea(attrs={"rows": 4}))
    staff_hours = forms.IntegerField(label=_("Ore di personale pubblico"), min_value=0)
    budget_eur = forms.DecimalField(label=_("Budget (euro)"), min_value=0, max_digits=12, decimal_places=2)
    min_open_days = forms.IntegerField(label=_("Durata minima di apertura (giorni)"), min_value=1, initial=20)
    admission_threshold = forms.DecimalField(label=_("Soglia di ammissione"), min_value=0, initial=60)
    scoring_mode = forms.ChoiceField(label=_("Calcolo del punteggio"), choices=ScoringMode.choices)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Confermo"), required=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motivazione"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AppointForm(forms.Form):
    act_number = forms.CharField(label=_("Numero dell'atto di nomina"), max_length=50)
    act_date = forms.DateField(label=_("Data dell'atto di nomina"), widget=forms.DateInput(attrs={"type": "date"}))
    emails = forms.CharField(
        label=_("E-mail dei componenti (una per riga, il primo è il presidente)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StartProposalForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Ente proponente"), queryset=None)
    is_grouping = forms.BooleanField(label=_("In raggruppamento temporaneo (ATS) come capofila"), required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class BodyForm(forms.Form):
    title = forms.CharField(label=_("Titolo della proposta"), max_length=200, required=False)
    summary = forms.CharField(label=_("Sintesi"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    experience = forms.CharField(
        label=_("Esperienza nel territorio"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class MemberForm(forms.Form):
    tax_code = forms.CharField(label=_("Codice fiscale dell'ente da aggiungere"), max_length=16)
    role = forms.CharField(label=_("Ruolo nel raggruppamento"), max_length=200)


class DeclarationsForm(forms.Form):
    declares_runts = forms.BooleanField(label=_("Dichiaro che l'ente è iscritto al RUNTS"), required=False)
    declares_no_exclusion = forms.BooleanField(
        label=_("Dichiaro l'assenza di cause di esclusione dalla contrattazione con la pubblica amministrazione"),
        required=False,
    )
    declares_truthful = forms.BooleanField(
        label=_("Dichiaro, ai sensi degli artt. 46 e 47 del DPR 445/2000, che quanto indicato è veritiero"),
        required=False,
    )


class ActionForm(forms.Form):
    line = forms.ChoiceField(label=_("Linea di azione"), choices=ActionLine.choices)
    activities = forms.CharField(label=_("Attività"), widget=forms.Textarea(attrs={"rows": 3}))
    staff_hours = forms.IntegerField(label=_("Ore del personale"), min_value=0, initial=0)
    volunteer_hours = forms.IntegerField(label=_("Ore dei volontari"), min_value=0, initial=0)
    units_brought = forms.IntegerField(label=_("Alloggi messi a disposizione"), min_value=0, initial=0)
    partners = forms.CharField(label=_("Partner"), required=False)
    timeline = forms.CharField(label=_("Cronoprogramma"), max_length=300, required=False)
    indicator = forms.CharField(label=_("Indicatore"), max_length=200, required=False)
    baseline = forms.CharField(label=_("Valore di partenza"), max_length=50, required=False)
    target = forms.CharField(label=_("Valore obiettivo"), max_length=50, required=False)


class BudgetLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo di risorsa"), choices=BudgetKind.choices)
    description = forms.CharField(label=_("Descrizione"), max_length=300)
    public_amount = forms.DecimalField(label=_("Contributo pubblico (euro)"), min_value=0, decimal_places=2)
    ets_amount = forms.DecimalField(label=_("Co-finanziamento ETS (euro)"), min_value=0, decimal_places=2)


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Conflitto di interessi (L. 241/1990 art. 6-bis)"),
        choices=[
            ("0", _("Dichiaro l'assenza di conflitti di interessi")),
            ("1", _("Dichiaro un conflitto di interessi")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    """One points field and one reason field per scored criterion."""

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields["points_%d" % c.pk] = forms.DecimalField(
                label=_("%(title)s: punti (massimo %(max)s)") % {"title": c.title, "max": c.max_points},
                min_value=0,
                max_value=c.max_points,
                decimal_places=2,
            )
            self.fields["reason_%d" % c.pk] = forms.CharField(
                label=_("%(title)s: motivazione") % {"title": c.title}, widget=forms.Textarea(attrs={"rows": 2})
            )

    def scores(self) -> dict:
        return {
            c.pk: (self.cleaned_data["points_%d" % c.pk], self.cleaned_data["reason_%d" % c.pk]) for c in self.criteria
        }


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Data e ora"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Luogo"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Collegamento online"), required=False, assume_scheme="https")
    agenda = forms.CharField(label=_("Ordine del giorno"), widget=forms.Textarea(attrs={"rows": 3}))


class SessionMoveForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Nuova data e ora"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Luogo"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Collegamento online"), required=False, assume_scheme="https")


class SessionCancelForm(forms.Form):
    reason = forms.CharField(label=_("Motivo dell'annullamento"), widget=forms.Textarea(attrs={"rows": 3}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Verbale"), widget=forms.Textarea(attrs={"rows": 10}))


class AgreementForm(forms.Form):
    starts_on = forms.DateField(label=_("Inizio"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Fine"), widget=forms.DateInput(attrs={"type": "date"}))


class SignedUploadForm(forms.Form):
    file = forms.FileField(label=_("Convenzione firmata (PDF o P7M)"))


class ReportStartForm(forms.Form):
    period_start = forms.DateField(label=_("Dal"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Al"), widget=forms.DateInput(attrs={"type": "date"}))


class ReportForm(forms.Form):
    activities = forms.CharField(label=_("Attività svolte"), widget=forms.Textarea(attrs={"rows": 4}))
    hours = forms.IntegerField(label=_("Ore svolte"), min_value=0)


class ReportCostForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo di risorsa"), choices=BudgetKind.choices)
    description = forms.CharField(label=_("Descrizione"), max_length=300)
    amount = forms.DecimalField(label=_("Importo (euro)"), min_value=0, decimal_places=2)
    receipt = forms.FileField(label=_("Giustificativo (PDF, immagine o P7M)"), required=False)


class IndicatorValuesForm(forms.Form):
    """One optional number per indicator of the project (``rows``: selectors.IndicatorProgress)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[row.key] = forms.DecimalField(
                label="%s - %s" % (row.line_label, row.name),
                help_text=_("Obiettivo: %(target)s") % {"target": row.target or "—"},
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                initial=row.value,
            )

    def values(self) -> dict:
        return {(row.line, row.name): self.cleaned_data.get(row.key) for row in self.rows}


class SendBackForm(forms.Form):
    notes = forms.CharField(label=_("Che cosa va modificato"), widget=forms.Textarea(attrs={"rows": 3}))
