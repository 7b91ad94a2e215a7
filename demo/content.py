"""Texts of the demo notice and FAQ (content, not interface: written in Italian by the Ambito)."""

NOTICE_SUMMARY = (
    "L'Ambito territoriale raccoglie le manifestazioni di interesse di enti pubblici, enti del Terzo settore, "
    "enti religiosi, soggetti privati e cittadini disposti a mettere a disposizione alloggi, anche da recuperare, "
    "per l'abitare temporaneo e il co-housing del programma Housing Mix."
)

NOTICE_BODY = """Art. 1 - Finalità
Il programma Housing Mix sostiene i nuclei familiari in condizione di fragilità abitativa con alloggi temporanei e in co-housing, accompagnandoli verso l'autonomia. Con il presente avviso l'Ambito individua gli alloggi disponibili sul territorio dei 60 comuni della provincia di Lodi.

Art. 2 - Soggetti che possono partecipare
Possono manifestare interesse: comuni e altri enti pubblici; enti del Terzo settore iscritti al RUNTS; ATS e ASST; ALER; diocesi, parrocchie, congregazioni e istituti religiosi o secolari, anche tramite il ramo ETS; imprese, fondazioni e altri soggetti privati; cittadini proprietari (persone fisiche).

Art. 3 - Alloggi
Sono ammessi alloggi situati in uno dei comuni dell'Ambito, in regola con l'agibilità e con impianti conformi oppure da adeguare con lavori indicati nella domanda. Per ogni alloggio si indicano dati catastali, superficie, posti letto, accessibilità, classe energetica e stato di manutenzione.

Art. 4 - Forme di messa a disposizione
Locazione a canone concordato (3+2 anni) o transitorio (da 1 a 18 mesi); comodato d'uso gratuito; concessione d'uso (enti pubblici); conferimento al patrimonio di edilizia pubblica per almeno 8 anni.

Art. 5 - Incentivi
Ai proprietari possono essere riconosciuti: il fondo di garanzia per i canoni, la copertura assicurativa e un contributo per i lavori di ripristino, nei limiti delle risorse disponibili.

Art. 6 - Modalità e termini di presentazione
La manifestazione di interesse si presenta entro il termine indicato nella pagina dell'avviso, con il modulo allegato, firmato e accompagnato dai documenti richiesti. Ogni domanda riceve un numero di protocollo.

Art. 7 - Istruttoria
L'Ufficio di Piano verifica l'ammissibilità e la completezza della domanda e può chiedere integrazioni (soccorso istruttorio) con un termine di 10 giorni. Può essere svolto un sopralluogo. Gli alloggi idonei entrano nel catalogo degli alloggi disponibili.

Art. 8 - Trattamento dei dati personali
I dati sono trattati ai sensi del Regolamento (UE) 2016/679 secondo l'informativa pubblicata sul portale.

Art. 9 - Responsabile del procedimento e informazioni
Il responsabile del procedimento è indicato nella pagina dell'avviso. Le domande di chiarimento si inviano all'indirizzo di posta elettronica indicato; le risposte di interesse generale sono pubblicate nelle FAQ."""

DEMO_FAQ = [
    (
        "Chi può partecipare",
        "Sono un privato cittadino: posso offrire il mio appartamento?",
        "Sì. Le persone fisiche proprietarie di un alloggio situato in uno dei comuni dell'Ambito possono presentare "
        "la manifestazione di interesse registrandosi come privato cittadino.",
    ),
    (
        "Chi può partecipare",
        "Una parrocchia può partecipare anche se non è iscritta al RUNTS?",
        "Sì. Gli enti religiosi partecipano come Chiesa locale; se dispongono di un ramo ETS indicano il relativo "
        "numero di iscrizione al RUNTS.",
    ),
    (
        "Chi può partecipare",
        "Chi firma la domanda per un ente?",
        "Il legale rappresentante oppure un delegato munito di procura, che va allegata alla domanda insieme al "
        "documento di identità del firmatario.",
    ),
    (
        "Gli alloggi",
        "L'alloggio deve essere già arredato?",
        "No. Sono ammessi anche alloggi non arredati: va indicato nella domanda. L'arredo può essere oggetto della "
        "co-progettazione con gli enti del Terzo settore.",
    ),
    (
        "Gli alloggi",
        "Posso offrire un alloggio che ha bisogno di lavori?",
        "Sì. Indica i lavori necessari e una stima dei costi: è possibile chiedere un contributo per il ripristino, "
        "nei limiti delle risorse del programma.",
    ),
    (
        "Gli alloggi",
        "Qual è la superficie minima richiesta?",
        "Si applicano i requisiti igienico-sanitari nazionali: almeno 28 m² per una persona, 38 m² per due persone e "
        "10 m² in più per ogni persona aggiuntiva.",
    ),
    (
        "Contratti e incentivi",
        "Che tipo di contratto firmerò?",
        "Puoi scegliere tra locazione a canone concordato (3+2 anni), locazione transitoria da 1 a 18 mesi, comodato "
        "d'uso gratuito e, per gli enti pubblici, concessione d'uso.",
    ),
    (
        "Contratti e incentivi",
        "Chi mi garantisce il pagamento del canone?",
        "Il programma prevede un fondo di garanzia per i canoni non pagati e una copertura assicurativa per i danni, "
        "secondo le condizioni indicate nell'avviso.",
    ),
    (
        "Contratti e incentivi",
        "Chi sceglie il nucleo familiare che abiterà l'alloggio?",
        "L'Ufficio di Piano propone un nucleo seguito dagli assistenti sociali, tenendo conto delle caratteristiche "
        "dell'alloggio. Il proprietario può accettare o motivare il rifiuto.",
    ),
    (
        "Presentazione della domanda",
        "Entro quando devo presentare la domanda?",
        "Entro la scadenza indicata nella pagina dell'avviso, ora italiana. Le domande arrivate dopo non possono "
        "essere accettate.",
    ),
    (
        "Presentazione della domanda",
        "Quali documenti devo allegare?",
        "Documento di identità del firmatario, visura e planimetria catastale, attestato di prestazione energetica, "
        "certificazioni degli impianti se disponibili, fotografie e il titolo che ti consente di offrire l'alloggio.",
    ),
    (
        "Presentazione della domanda",
        "Cosa succede se manca un documento?",
        "L'Ufficio di Piano ti chiede un'integrazione (soccorso istruttorio) con un termine, di norma 10 giorni. La "
        "domanda non viene esclusa se rispondi entro quel termine.",
    ),
]

PROGRAMME_FAQ = [
    (
        "Il programma",
        "Che cos'è Housing Mix?",
        "Un programma dei comuni dell'Ambito che mette a disposizione alloggi temporanei e in co-housing per nuclei in "
        "difficoltà abitativa, con un percorso di accompagnamento verso l'autonomia.",
    ),
    (
        "Il programma",
        "Come può una famiglia accedere a un alloggio?",
        "Le famiglie non presentano domanda sul portale: vengono segnalate dagli assistenti sociali del proprio "
        "comune, che costruiscono con loro un progetto personalizzato.",
    ),
    (
        "Il programma",
        "Che cosa si intende per co-housing?",
        "Alloggi separati che condividono spazi e servizi comuni, con attività che favoriscono relazioni di vicinato "
        "e l'aiuto reciproco.",
    ),
]
