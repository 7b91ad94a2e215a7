"""Demo content of the municipal model's pages for ``make run`` (called by the demo command).

Idempotent: what exists (by slug) is left as it is. Addresses and e-mails are examples to
replace in the back office."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from housingmix.core.caching import public_pages_invalidate
from housingmix.notices.models import Notice, NoticeKind
from housingmix.territory.models import Comune

from .models import (
    AudienceType,
    Event,
    News,
    NewsKind,
    Office,
    OnlineAccess,
    Service,
    ServiceCategory,
    ServiceMilestone,
    Topic,
    Vocabulary,
)

TOPICS = [
    # slug, Italian (term of the vocabulary), English, vocabulary, description
    (
        "abitazione-sociale",
        "Abitazione sociale",
        "Social housing",
        Vocabulary.EUROVOC,
        "Alloggi a canone sostenibile e abitare temporaneo per chi è in difficoltà.",
    ),
    (
        "alloggio",
        "Alloggio",
        "Housing",
        Vocabulary.EUROVOC,
        "Case e appartamenti messi a disposizione del programma da enti e privati.",
    ),
    (
        "assistenza-sociale",
        "Assistenza sociale",
        "Social assistance",
        Vocabulary.MODEL,
        "L'accompagnamento dei servizi sociali dei comuni verso l'autonomia abitativa.",
    ),
    (
        "integrazione-sociale",
        "Integrazione sociale",
        "Social integration",
        Vocabulary.MODEL,
        "Relazioni di vicinato, co-housing e azioni di comunità.",
    ),
    (
        "associazioni",
        "Associazioni",
        "Associations",
        Vocabulary.MODEL,
        "Gli enti del Terzo settore che co-progettano e co-gestiscono i servizi.",
    ),
    (
        "terzo-settore",
        "Terzo settore",
        "Third sector",
        Vocabulary.EUROVOC,
        "La co-progettazione con gli enti del Terzo settore (art. 55 del Codice del Terzo settore).",
    ),
    (
        "trasparenza-amministrativa",
        "Trasparenza amministrativa",
        "Administrative transparency",
        Vocabulary.MODEL,
        "Atti, avvisi e documenti del programma.",
    ),
]

ACCESS_NOTICE = (
    "Puoi presentare la manifestazione di interesse online, dall'area personale, mentre l'avviso è aperto. "
    "Per entrare serve un account del portale, che crei con il tuo indirizzo e-mail."
)


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _offices() -> dict[str, Office]:
    lodi = Comune.objects.filter(name="Lodi").first()
    codogno = Comune.objects.filter(name="Codogno").first()
    rows = [
        dict(
            slug="ufficio-di-piano",
            name="Ufficio di Piano dell'Ambito di Lodi",
            name_en="Ambito of Lodi planning office (Ufficio di Piano)",
            comune=lodi,
            description="Gestisce il programma Housing Mix: avvisi, istruttoria delle manifestazioni di interesse, "
            "co-progettazione con il Terzo settore.",
            description_en="Runs the Housing Mix programme: calls, review of the offers of housing, co-design with "
            "the third sector.",
            street_address="Piazza Broletto 1",
            postcode="26900",
            city="Lodi",
            email="ufficiodipiano@ambito-lodi.example.org",
            pec="ufficiodipiano@pec.ambito-lodi.example.org",
            phone="0371 000000",
            opening_hours="- Lunedì, mercoledì e venerdì: 9:00-12:30\n- Martedì: 14:30-16:30, su appuntamento",
            opening_hours_en="- Monday, Wednesday and Friday: 9:00-12:30\n- Tuesday: 14:30-16:30, by appointment",
            order=0,
        ),
        dict(
            slug="servizio-sociale-lodi",
            name="Servizio sociale del Comune di Lodi",
            name_en="Social services of the Comune of Lodi",
            comune=lodi,
            description="Le assistenti sociali accolgono le famiglie in difficoltà abitativa e le accompagnano nel "
            "programma.",
            description_en="Social workers meet households with housing difficulties and accompany them in the "
            "programme.",
            street_address="Via Fanfulla 12",
            postcode="26900",
            city="Lodi",
            email="servizisociali@comune-lodi.example.org",
            phone="0371 000001",
            opening_hours="- Dal lunedì al venerdì: 9:00-12:00, su appuntamento",
            opening_hours_en="- Monday to Friday: 9:00-12:00, by appointment",
            order=1,
        ),
        dict(
            slug="servizio-sociale-codogno",
            name="Servizio sociale del Comune di Codogno",
            name_en="Social services of the Comune of Codogno",
            comune=codogno,
            description="Il servizio sociale di Codogno riceve le famiglie del comune su appuntamento.",
            description_en="The social services of Codogno meet the town's households by appointment.",
            street_address="Via Vittorio Emanuele II 4",
            postcode="26845",
            city="Codogno",
            email="servizisociali@comune-codogno.example.org",
            phone="0377 000000",
            opening_hours="- Martedì e giovedì: 9:00-12:00",
            opening_hours_en="- Tuesday and Thursday: 9:00-12:00",
            order=2,
        ),
    ]
    offices = {}
    for row in rows:
        slug = row.pop("slug")
        offices[slug], _created = Office.objects.get_or_create(slug=slug, defaults=row)
    return offices


SERVICES = [
    dict(
        slug="mettere-a-disposizione-un-alloggio",
        title="Mettere a disposizione un alloggio",
        title_en="Offer a housing unit",
        summary="Come offrire al programma Housing Mix un alloggio pubblico o privato per l'abitare temporaneo "
        "e il co-housing.",
        summary_en="How to offer a public or private housing unit to the Housing Mix programme for transitional "
        "housing and co-housing.",
        category=ServiceCategory.WELFARE,
        audience_type=AudienceType.ALL,
        addressed="- Privati cittadini proprietari di un alloggio nei comuni dell'Ambito\n"
        "- Enti pubblici, ALER, ATS, ASST\n- Enti del Terzo settore, la Chiesa locale, congregazioni e istituti "
        "religiosi\n- Altri soggetti privati (società, fondazioni)",
        addressed_en="- Private owners of a flat in the comuni of the Ambito\n- Public bodies, ALER, ATS, ASST\n"
        "- Third-sector bodies, the local Church, religious congregations and institutes\n"
        "- Other private bodies (companies, foundations)",
        how_to="Crea il tuo account del portale, poi apri l'avviso e scegli «Partecipa». Il modulo guidato chiede, "
        "passo per passo, chi offre, i dati di ogni alloggio, le condizioni dell'offerta e gli allegati; puoi "
        "salvare la bozza e riprenderla. All'invio ricevi il numero di protocollo e la ricevuta.",
        how_to_en="Create your account on the portal, open the call and choose «Take part». The guided form asks, "
        "step by step, who offers, the data of each unit, the terms of the offer and the attachments; you can "
        "save a draft and come back to it. When you submit you get a protocol number and a receipt.",
        needed="- Un indirizzo e-mail per l'account\n- Il documento d'identità di chi firma\n- La visura catastale "
        "e la planimetria di ogni alloggio\n- L'attestato di prestazione energetica (APE)\n- Per gli enti: i dati "
        "del legale rappresentante o la procura del delegato",
        needed_en="- An e-mail address for the account\n- The identity document of the signatory\n- The cadastral "
        "survey and floor plan of each unit\n- The energy performance certificate (APE)\n- For bodies: the legal "
        "representative's data or the delegate's proxy",
        obtained="La ricevuta protocollata della manifestazione di interesse e, dopo l'istruttoria, la comunicazione "
        "dell'esito per ogni alloggio. Gli alloggi idonei entrano nel registro del programma.",
        obtained_en="The protocolled receipt of the offer and, after the review, the outcome for each unit. "
        "Eligible units enter the programme's registry.",
        deadlines="Le manifestazioni si presentano mentre l'avviso è aperto. L'istruttoria si conclude di norma "
        "entro 60 giorni dall'invio.",
        deadlines_en="Offers can be submitted while the call is open. The review normally ends within 60 days of "
        "submission.",
        access=ACCESS_NOTICE,
        access_en="You can submit the offer online, from your personal area, while the call is open. You need an "
        "account on the portal, created with your e-mail address.",
        online_access=OnlineAccess.NOTICE,
        notice_kind=NoticeKind.INTEREST,
        bookable=True,
        conditions="Le condizioni sono quelle dell'avviso pubblico: requisiti, forme di messa a disposizione, "
        "dichiarazioni (DPR 445/2000) e trattamento dei dati.",
        conditions_en="The conditions are those of the public call: requirements, forms of availability, "
        "declarations (DPR 445/2000) and data processing.",
        topics=["abitazione-sociale", "alloggio", "trasparenza-amministrativa"],
        milestones=[
            (
                "Esito dell'istruttoria",
                "entro 60 giorni dall'invio",
                "Outcome of the review",
                "within 60 days of submission",
            )
        ],
        order=0,
    ),
    dict(
        slug="partecipare-alla-co-progettazione",
        title="Partecipare alla co-progettazione",
        title_en="Take part in co-design",
        summary="Come un ente del Terzo settore propone di co-progettare e co-gestire i servizi di accompagnamento "
        "all'abitare.",
        summary_en="How a third-sector body proposes to co-design and co-manage the housing support services.",
        category=ServiceCategory.WELFARE,
        audience_type=AudienceType.ORGANISATIONS,
        addressed="Enti del Terzo settore iscritti al RUNTS, da soli o riuniti in Associazione Temporanea di Scopo.",
        addressed_en="Third-sector bodies registered in RUNTS, alone or as a temporary grouping (ATS).",
        how_to="Leggi l'avviso di co-progettazione, prepara la proposta (attività per linea di azione, persone, "
        "risorse e co-finanziamento) e presentala entro la scadenza. Una commissione la valuta su 100 punti.",
        how_to_en="Read the co-design call, prepare the proposal (activities by action line, people, resources and "
        "co-financing) and submit it by the deadline. A commission scores it out of 100.",
        needed="- L'iscrizione al RUNTS\n- Le dichiarazioni sui requisiti\n- La proposta progettuale e il piano delle "
        "risorse",
        needed_en="- Registration in RUNTS\n- The declarations on the requirements\n- The project proposal and the "
        "resource plan",
        obtained="La graduatoria delle proposte e, per gli enti selezionati, la partecipazione al tavolo di "
        "co-progettazione e la convenzione con il Comune capofila.",
        obtained_en="The ranking of the proposals and, for the bodies selected, a seat at the co-design table and "
        "the agreement with the lead comune.",
        deadlines="Le proposte si presentano entro la scadenza dell'avviso; la graduatoria è pubblicata dopo la "
        "valutazione della commissione.",
        deadlines_en="Proposals are submitted by the call's deadline; the ranking is published after the "
        "commission's scoring.",
        access="La presentazione online delle proposte sarà disponibile su questo portale quando l'avviso si apre; "
        "fino ad allora puoi chiedere informazioni all'Ufficio di Piano o prenotare un appuntamento.",
        access_en="Online submission of proposals will be available on this portal when the call opens; until then "
        "you can ask the Ufficio di Piano or book an appointment.",
        online_access=OnlineAccess.NOTICE,
        notice_kind=NoticeKind.CODESIGN,
        bookable=True,
        conditions="Le condizioni sono quelle dell'avviso di co-progettazione (art. 55 D.Lgs. 117/2017, DM 72/2021).",
        conditions_en="The conditions are those of the co-design call (art. 55 D.Lgs. 117/2017, DM 72/2021).",
        topics=["terzo-settore", "associazioni", "integrazione-sociale"],
        milestones=[
            (
                "Pubblicazione della graduatoria",
                "dopo la valutazione della commissione",
                "Ranking published",
                "after the commission's scoring",
            )
        ],
        order=1,
    ),
    dict(
        slug="chiedere-un-sostegno-abitativo",
        title="Chiedere un sostegno abitativo",
        title_en="Ask for housing support",
        summary="Se la tua famiglia è in difficoltà con la casa, il servizio sociale del tuo comune valuta con te "
        "l'accesso al programma.",
        summary_en="If your household has housing difficulties, your comune's social services assess with you "
        "access to the programme.",
        category=ServiceCategory.WELFARE,
        audience_type=AudienceType.CITIZENS,
        addressed="Nuclei familiari residenti nei comuni dell'Ambito in difficoltà abitativa: sfratto, perdita della "
        "casa, sovraffollamento, uscita da una comunità o da una situazione di violenza.",
        addressed_en="Households living in the comuni of the Ambito with housing difficulties: eviction, loss of "
        "the home, overcrowding, leaving care or a situation of violence.",
        how_to="Non serve presentare domanda sul portale: prenota un appuntamento con il servizio sociale del tuo "
        "comune. L'assistente sociale valuta la situazione e, se il programma è adatto, propone un progetto "
        "personalizzato.",
        how_to_en="There is no application on the portal: book an appointment with your comune's social services. "
        "The social worker assesses the situation and, if the programme fits, proposes a personal plan.",
        needed="- Un documento d'identità\n- L'ISEE, se ce l'hai\n- Eventuali documenti sulla situazione abitativa "
        "(per esempio l'atto di sfratto)",
        needed_en="- An identity document\n- The ISEE, if you have one\n- Any documents on the housing situation "
        "(e.g. the eviction notice)",
        obtained="Un colloquio con l'assistente sociale e, se il programma è adatto, un progetto personalizzato di "
        "accompagnamento e l'inserimento in un alloggio.",
        obtained_en="A meeting with the social worker and, if the programme fits, a personal support plan and a "
        "place in a housing unit.",
        deadlines="Il servizio è sempre attivo: il primo colloquio avviene nel giorno prenotato.",
        deadlines_en="The service is always open: the first meeting takes place on the day booked.",
        access="Prenota un appuntamento con il servizio sociale del tuo comune, oppure telefona negli orari di "
        "apertura.",
        access_en="Book an appointment with your comune's social services, or phone during opening hours.",
        online_access=OnlineAccess.BOOKING,
        bookable=True,
        conditions="Il colloquio è riservato; i dati sulla salute sono trattati solo dai servizi sociali che ti "
        "seguono.",
        conditions_en="The meeting is confidential; health data are handled only by the social services that "
        "follow you.",
        office="servizio-sociale-lodi",
        booking_offices=["servizio-sociale-lodi", "servizio-sociale-codogno"],
        topics=["assistenza-sociale", "abitazione-sociale"],
        milestones=[("Primo colloquio", "nel giorno prenotato", "First meeting", "on the day booked")],
        order=2,
    ),
    dict(
        slug="prenotare-un-appuntamento-con-l-ufficio-di-piano",
        title="Prenotare un appuntamento con l'Ufficio di Piano",
        title_en="Book an appointment with the Ufficio di Piano",
        summary="Un incontro con l'Ufficio di Piano per chiarimenti sugli avvisi, sulla manifestazione di interesse "
        "o sulla co-progettazione.",
        summary_en="A meeting with the Ufficio di Piano about the calls, an offer of housing or co-design.",
        category=ServiceCategory.WELFARE,
        audience_type=AudienceType.ALL,
        addressed="Chi vuole offrire un alloggio, gli enti del Terzo settore e chiunque abbia domande sul programma.",
        addressed_en="Anyone who wants to offer a unit, third-sector bodies and anyone with questions about the "
        "programme.",
        how_to="Scegli l'ufficio e il servizio, poi un giorno e un orario liberi, e lascia nome e contatti. Ricevi "
        "la conferma per e-mail, con il promemoria per il calendario e il link per annullare.",
        how_to_en="Choose the office and the service, then a free day and time, and leave your name and contacts. "
        "You get a confirmation by e-mail, with a calendar reminder and a link to cancel.",
        needed="- Un indirizzo e-mail\n- Se ne hai già una, il numero di protocollo della tua manifestazione",
        needed_en="- An e-mail address\n- If you have one, the protocol number of your offer",
        obtained="Un appuntamento confermato presso l'Ufficio di Piano.",
        obtained_en="A confirmed appointment at the Ufficio di Piano.",
        deadlines="Si può prenotare fino a due ore prima dell'orario scelto, tra quelli pubblicati per le prossime "
        "settimane.",
        deadlines_en="You can book up to two hours before the chosen time, among those published for the coming weeks.",
        access="Prenota online scegliendo un orario libero.",
        access_en="Book online by choosing a free time.",
        online_access=OnlineAccess.BOOKING,
        bookable=True,
        conditions="I dati lasciati servono solo a gestire l'appuntamento e sono cancellati dopo l'incontro.",
        conditions_en="The data you leave serve only to manage the appointment and are erased after the meeting.",
        topics=["trasparenza-amministrativa", "alloggio"],
        milestones=[],
        order=3,
    ),
    dict(
        slug="segnalare-un-disservizio",
        title="Segnalare un disservizio",
        title_en="Report a problem with the service",
        summary="Come segnalare all'Ufficio di Piano un problema del portale o del servizio.",
        summary_en="How to report a problem with the portal or the service to the Ufficio di Piano.",
        category=ServiceCategory.WELFARE,
        audience_type=AudienceType.ALL,
        addressed="Chiunque usi il portale o i servizi del programma Housing Mix.",
        addressed_en="Anyone who uses the portal or the services of the Housing Mix programme.",
        how_to="Scrivi all'Ufficio di Piano descrivendo il problema: la pagina, cosa stavi facendo, cosa è successo.",
        how_to_en="Write to the Ufficio di Piano describing the problem: the page, what you were doing, what happened.",
        needed="Un indirizzo e-mail o PEC da cui scrivere.",
        needed_en="An e-mail or PEC address to write from.",
        obtained="Una risposta dell'Ufficio di Piano e, se serve, la correzione del problema.",
        obtained_en="An answer from the Ufficio di Piano and, where needed, the problem fixed.",
        deadlines="L'Ufficio di Piano risponde di norma entro 30 giorni.",
        deadlines_en="The Ufficio di Piano normally answers within 30 days.",
        access="Trovi i recapiti e le indicazioni nella pagina per segnalare un disservizio.",
        access_en="You find the contacts and instructions on the page to report a problem.",
        online_access=OnlineAccess.REPORT,
        bookable=False,
        conditions="Le segnalazioni sono trattate secondo l'informativa sul trattamento dei dati personali.",
        conditions_en="Reports are handled according to the privacy notice.",
        topics=["trasparenza-amministrativa"],
        milestones=[("Risposta", "entro 30 giorni", "Answer", "within 30 days")],
        order=4,
    ),
]


def _services(offices: dict[str, Office], topics: dict[str, Topic]) -> None:
    for row in SERVICES:
        row = dict(row)
        slug = row.pop("slug")
        topic_slugs = row.pop("topics")
        milestones = row.pop("milestones")
        office = offices[row.pop("office", "ufficio-di-piano")]
        booking = row.pop("booking_offices", ["ufficio-di-piano"] if row["bookable"] else [])
        service, created = Service.objects.get_or_create(
            slug=slug, defaults={**row, "office": office, "is_published": True}
        )
        if not created:
            continue
        service.topics.set([topics[t] for t in topic_slugs])
        service.booking_offices.set([offices[o] for o in booking])
        for order, (label, when, label_en, when_en) in enumerate(milestones):
            ServiceMilestone.objects.create(
                service=service, order=order, label=label, when=when, label_en=label_en, when_en=when_en
            )


def _news(topics: dict[str, Topic]) -> None:
    rows = [
        (
            "housing-mix-al-via",
            NewsKind.NEWS,
            "Housing Mix al via nei comuni dell'Ambito",
            "Housing Mix starts in the comuni of the Ambito",
            "Parte il programma che recupera alloggi per l'abitare temporaneo e il co-housing.",
            "The programme that recovers housing for transitional housing and co-housing starts.",
            "Con la pubblicazione del primo avviso parte la raccolta delle manifestazioni di interesse di enti e "
            "cittadini che vogliono mettere a disposizione un alloggio.",
            "With the first call, the Ambito starts collecting offers from bodies and citizens who want to make a "
            "housing unit available.",
            -9,
            ["abitazione-sociale", "alloggio"],
        ),
        (
            "incontri-con-i-proprietari",
            NewsKind.NEWS,
            "Incontri con i proprietari negli sportelli dei comuni",
            "Meetings with owners at the comuni's offices",
            "Gli sportelli dei servizi sociali ricevono su appuntamento chi vuole offrire un alloggio.",
            "The social services' offices meet by appointment whoever wants to offer a unit.",
            "Si può prenotare online un appuntamento per avere informazioni sull'avviso e sulle forme di messa a "
            "disposizione dell'alloggio.",
            "You can book an appointment online to learn about the call and the forms of availability.",
            -4,
            ["alloggio", "assistenza-sociale"],
        ),
        (
            "comunicato-avviso-manifestazioni",
            NewsKind.RELEASE,
            "Pubblicato l'avviso per le manifestazioni di interesse",
            "Call for offers of housing published",
            "L'Ufficio di Piano comunica la pubblicazione dell'avviso per la raccolta di alloggi.",
            "The Ufficio di Piano announces the call for offers of housing.",
            "L'avviso resta aperto almeno quindici giorni ed è pubblicato anche all'Albo pretorio online del Comune "
            "capofila.",
            "The call stays open at least fifteen days and is also published on the lead comune's online notice board.",
            -10,
            ["trasparenza-amministrativa"],
        ),
    ]
    for slug, kind, title, title_en, summary, summary_en, body, body_en, days, topic_slugs in rows:
        item, created = News.objects.get_or_create(
            slug=slug,
            defaults=dict(
                kind=kind,
                title=title,
                title_en=title_en,
                summary=summary,
                summary_en=summary_en,
                body=body,
                body_en=body_en,
                published_at=_at(days, 10),
                is_published=True,
            ),
        )
        if created:
            item.topics.set([topics[t] for t in topic_slugs])


def _events(offices: dict[str, Office], topics: dict[str, Topic]) -> None:
    rows = [
        (
            "incontro-informativo-proprietari",
            "Incontro informativo per i proprietari di alloggi",
            "Information session for owners of housing units",
            "Come funziona l'avviso, quali garanzie e incentivi sono previsti.",
            "How the call works, which guarantees and incentives are offered.",
            12,
            "ufficio-di-piano",
            ["alloggio"],
        ),
        (
            "presentazione-co-progettazione",
            "Presentazione dell'avviso di co-progettazione agli enti del Terzo settore",
            "Presentation of the co-design call to third-sector bodies",
            "Obiettivi, risorse e griglia di valutazione dell'avviso di co-progettazione.",
            "Objectives, resources and scoring grid of the co-design call.",
            20,
            "ufficio-di-piano",
            ["terzo-settore", "associazioni"],
        ),
    ]
    for slug, title, title_en, summary, summary_en, days, office, topic_slugs in rows:
        item, created = Event.objects.get_or_create(
            slug=slug,
            defaults=dict(
                title=title,
                title_en=title_en,
                summary=summary,
                summary_en=summary_en,
                body=summary,
                body_en=summary_en,
                starts_at=_at(days, 17),
                ends_at=_at(days, 19),
                office=offices[office],
                is_published=True,
            ),
        )
        if created:
            item.topics.set([topics[t] for t in topic_slugs])


def _slots(offices: dict[str, Office]) -> None:
    from .services import SlotSeries, slots_generate

    today = timezone.localdate()
    for slug, weekdays in (
        ("ufficio-di-piano", [0, 2, 4]),
        ("servizio-sociale-lodi", [1, 3]),
        ("servizio-sociale-codogno", [1]),
    ):
        slots_generate(
            series=SlotSeries(
                office=offices[slug],
                first_day=today + timedelta(days=1),
                last_day=today + timedelta(days=28),
                weekdays=weekdays,
                start=time(9, 0),
                end=time(12, 0),
                minutes=30,
            ),
            by=None,
        )


@transaction.atomic
def seed_demo_portal() -> None:
    """Topics, offices, service sheets, news, events and a month of availability."""
    topics = {}
    for order, (slug, name, name_en, vocabulary, description) in enumerate(TOPICS):
        topics[slug], _created = Topic.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "vocabulary": vocabulary,
                "description": description,
                "order": order,
            },
        )
    for notice in Notice.objects.filter(kind=NoticeKind.INTEREST):
        notice.portal_topics.add(topics["abitazione-sociale"], topics["alloggio"])
    for notice in Notice.objects.filter(kind=NoticeKind.CODESIGN):
        notice.portal_topics.add(topics["terzo-settore"], topics["associazioni"])
    offices = _offices()
    _services(offices, topics)
    _news(topics)
    _events(offices, topics)
    _slots(offices)
    transaction.on_commit(public_pages_invalidate)
