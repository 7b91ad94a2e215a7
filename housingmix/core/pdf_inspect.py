"""Active content in uploaded PDFs: found by reading the file's objects, refused at upload.

A PDF can carry JavaScript (run by Acrobat and, in part, by browsers' viewers), actions run on
opening or on other events (/OpenAction, /AA), commands that start programs (/Launch), and
whole files inside it (/EmbeddedFile). None belongs in a scan of a cadastral survey or an
identity document, and each one is a way to attack the office that opens the file, so a PDF
with any of them is refused.

The file is parsed with pypdf (pure Python, the library the tests already read PDFs with, with
bounded decompression) and every object is visited: those the cross-reference table lists and
those reachable from the trailer, so an object hidden from one of the two paths is still seen.
A file without a usable cross-reference table is read as viewers read it, by rebuilding the
table from the objects in the file. A file pypdf still cannot read, or can read only with a
password, is refused: what cannot be inspected cannot be declared free of active content.
"""

import io
import logging
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# What a viewer may run or open by itself, by the reason shown to the person who uploads.
JAVASCRIPT = "javascript"
AUTOMATIC_ACTION = "automatic_action"
LAUNCH = "launch"
EMBEDDED_FILE = "embedded_file"
FORM_SUBMISSION = "form_submission"
MULTIMEDIA = "multimedia"

FINDING_LABELS = {
    JAVASCRIPT: _("codice JavaScript"),
    AUTOMATIC_ACTION: _("azioni eseguite in automatico"),
    LAUNCH: _("comandi che avviano programmi"),
    EMBEDDED_FILE: _("file incorporati"),
    FORM_SUBMISSION: _("invio di dati a indirizzi esterni"),
    MULTIMEDIA: _("contenuti multimediali interattivi"),
}

# Dictionary keys that are active content wherever they appear.
_KEYS = {
    "/JS": JAVASCRIPT,  # the script of a JavaScript action
    "/JavaScript": JAVASCRIPT,  # the document-level scripts in the /Names tree
    "/AA": AUTOMATIC_ACTION,  # actions on page open/close, field focus, document save or print…
    "/EmbeddedFiles": EMBEDDED_FILE,  # the /Names tree of attached files
    "/EF": EMBEDDED_FILE,  # a file specification carrying the file itself
    "/RichMedia": MULTIMEDIA,
}
# Action types (/S) that run code, start programs, send data or open other documents.
_ACTIONS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/SubmitForm": FORM_SUBMISSION,
    "/ImportData": FORM_SUBMISSION,
    "/GoToE": EMBEDDED_FILE,
    "/RichMediaExecute": MULTIMEDIA,
    "/Rendition": MULTIMEDIA,  # may carry its own JavaScript (/JS)
}
# Object types (/Type) that are active content by themselves.
_TYPES = {"/EmbeddedFile": EMBEDDED_FILE, "/RichMediaExecute": MULTIMEDIA}

# A scanned page has three or four objects, a page of a report about ten; reading one takes
# pypdf about 0.2 ms, so a file with more is refused rather than read for seconds by a web worker.
MAX_OBJECTS = 25_000


# Appended to a file whose "startxref" is missing: pypdf then finds no table at offset 0 and
# rebuilds it by scanning the file for objects, as viewers do with such files.
_REBUILD_TAIL = b"\nstartxref\n0\n%%EOF\n"


class PdfUnreadable(Exception):
    """pypdf could not read the file (damaged, truncated, not really a PDF)."""


class PdfTooComplex(Exception):
    """The file has more than MAX_OBJECTS objects."""


class PdfEncrypted(Exception):
    """The file needs a password to be read."""


@dataclass(frozen=True)
class Inspection:
    findings: frozenset[str]  # keys of FINDING_LABELS

    @property
    def is_clean(self) -> bool:
        return not self.findings

    @property
    def labels(self) -> list[str]:
        """What was found, in the order of FINDING_LABELS, for the person who uploaded the file."""
        return [str(label) for finding, label in FINDING_LABELS.items() if finding in self.findings]


def _resolved(value):
    return value.get_object() if value is not None and hasattr(value, "get_object") else value


def _open_action_finding(value) -> str | None:
    """/OpenAction may be a destination (an array: open at page N), which is harmless, or an
    action run as the file opens; only a plain go-to action is accepted."""
    from pypdf.generic import DictionaryObject

    if isinstance(value, DictionaryObject) and _resolved(value.get("/S")) != "/GoTo":
        return AUTOMATIC_ACTION
    return None


def _xfa_finding(value) -> str | None:
    """An XFA form (XML inside /AcroForm) runs its <script> elements in Acrobat."""
    from pypdf.generic import ArrayObject, StreamObject

    parts = list(value) if isinstance(value, ArrayObject) else [value]
    for part in parts:
        part = part.get_object()
        if isinstance(part, StreamObject) and b"<script" in part.get_data().lower():
            return JAVASCRIPT
    return None


def _reader(stream):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    stream.seek(0)
    try:
        return PdfReader(stream, strict=False)
    except PdfReadError:
        stream.seek(0)
        return PdfReader(io.BytesIO(stream.read() + _REBUILD_TAIL), strict=False)


def inspect_pdf(stream) -> Inspection:
    """Every kind of active content in the PDF read from ``stream`` (a binary file object,
    read from the start; its position is not restored).

    Raises PdfEncrypted if the file needs a password, PdfTooComplex if it has more than
    MAX_OBJECTS objects, PdfUnreadable if pypdf cannot read it."""
    from pypdf.errors import FileNotDecryptedError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    try:
        reader = _reader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            # An empty user password opens files restricted only by an owner password.
            raise PdfEncrypted
        pending = [reader.trailer]
        for generation, table in reader.xref.items():
            pending.extend(IndirectObject(number, generation, reader) for number in table)
        pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
        if len(pending) > MAX_OBJECTS:
            raise PdfTooComplex

        containers = (DictionaryObject, ArrayObject, IndirectObject)
        findings: set[str] = set()
        seen_references = set()
        while pending:
            item = pending.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation)
                if key in seen_references:
                    continue
                seen_references.add(key)
                if len(seen_references) > MAX_OBJECTS:
                    raise PdfTooComplex
                item = item.get_object()
            if isinstance(item, DictionaryObject):  # streams are dictionaries too
                for name, value in item.items():
                    if name in _KEYS:
                        findings.add(_KEYS[name])
                    elif name == "/OpenAction":
                        finding = _open_action_finding(value.get_object())
                        if finding:
                            findings.add(finding)
                    elif name == "/XFA":
                        finding = _xfa_finding(value.get_object())
                        if finding:
                            findings.add(finding)
                    if isinstance(value, containers):
                        pending.append(value)
                # A name may be given by reference ("/S 9 0 R"): resolve it before comparing.
                action, kind = (_resolved(item.get(key)) for key in ("/S", "/Type"))
                if isinstance(action, str) and action in _ACTIONS:
                    findings.add(_ACTIONS[action])
                if isinstance(kind, str) and kind in _TYPES:
                    findings.add(_TYPES[kind])
            elif isinstance(item, ArrayObject):
                pending.extend(value for value in item if isinstance(value, containers))
    except (PdfEncrypted, PdfTooComplex):
        raise
    except FileNotDecryptedError as error:
        raise PdfEncrypted from error
    except Exception as error:
        # A hostile or damaged file can make pypdf fail in many ways (PdfReadError, ValueError,
        # RecursionError, NotImplementedError for unknown encryption…): each means "not inspected".
        logger.info("PDF not readable for inspection: %s", type(error).__name__)
        raise PdfUnreadable(type(error).__name__) from error
    return Inspection(findings=frozenset(findings))


def validate_pdf(upload) -> None:
    """Refuse ``upload`` (a PDF by its content) unless pypdf reads it and it has no active
    content; the ValidationError names the file and what was found. The position is reset."""
    try:
        inspection = inspect_pdf(upload)
    except PdfEncrypted:
        raise ValidationError(
            _("Il file «%(name)s» è protetto da password: caricalo senza protezione."),
            params={"name": upload.name},
            code="pdf_encrypted",
        ) from None
    except PdfTooComplex:
        raise ValidationError(
            _(
                "Il file «%(name)s» è troppo complesso per essere controllato (più di %(count)s oggetti): "
                "dividilo in più file o salvalo di nuovo come PDF."
            ),
            params={"name": upload.name, "count": intcomma(MAX_OBJECTS)},
            code="pdf_too_complex",
        ) from None
    except PdfUnreadable:
        raise ValidationError(
            _(
                "Il file «%(name)s» non è un PDF leggibile: potrebbe essere danneggiato o incompleto. "
                "Salvalo di nuovo come PDF e caricalo di nuovo."
            ),
            params={"name": upload.name},
            code="pdf_unreadable",
        ) from None
    finally:
        upload.seek(0)
    if not inspection.is_clean:
        raise ValidationError(
            _(
                "Il file «%(name)s» contiene %(found)s, che per sicurezza non sono ammessi nei documenti caricati. "
                "Salvalo di nuovo come PDF semplice, ad esempio con «Stampa» e poi «Salva come PDF», "
                "e caricalo di nuovo."
            ),
            params={"name": upload.name, "found": get_text_list(inspection.labels, _("e"))},
            code="pdf_active_content",
        )
