"""Small PDFs written byte by byte, each with one kind of active content (or none), for the
upload inspection tests (housingmix/core/pdf_inspect.py)."""

import io
import zlib

CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] %s >>"


def build_pdf(objects: list[bytes], *, cross_reference: bool = True) -> bytes:
    """A PDF whose objects 1, 2, 3… are ``objects``; without ``cross_reference`` it has no xref
    table and no startxref (viewers rebuild them)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    if cross_reference:
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n" % (len(objects) + 1, xref))
    else:
        out.write(b"trailer\n<< /Root 1 0 R >>\n")
    out.write(b"%%EOF\n")
    return out.getvalue()


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def simple(catalog_extra: bytes = b"", page_extra: bytes = b"", more: list[bytes] | None = None) -> bytes:
    return build_pdf([CATALOG % catalog_extra, PAGES, PAGE % page_extra, *(more or [])])


CLEAN = simple()
# Open at the first page, fitted: a destination, not an action.
CLEAN_OPEN_AT_PAGE = simple(b"/OpenAction [3 0 R /Fit]")
CLEAN_LINK = simple(
    page_extra=b"/Annots [4 0 R]",
    more=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 20] /A << /S /URI /URI (https://www.example.org/) >> >>"],
)

JAVASCRIPT_ON_OPEN = simple(b"/OpenAction 4 0 R", more=[b"<< /S /JavaScript /JS (app.alert\\('ciao'\\);) >>"])
JAVASCRIPT_IN_NAMES = simple(
    b"/Names << /JavaScript << /Names [(avvio) 4 0 R] >> >>",
    more=[b"<< /S /JavaScript /JS (this.print\\(\\);) >>"],
)
PAGE_ADDITIONAL_ACTION = simple(page_extra=b"/AA << /O << /S /JavaScript /JS (app.beep\\(0\\);) >> >>")
LAUNCH = simple(
    page_extra=b"/Annots [4 0 R]",
    more=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 20] /A << /S /Launch /F (cmd.exe) >> >>"],
)
OPEN_URL_ON_OPEN = simple(b"/OpenAction << /S /URI /URI (https://tracker.example/) >>")
SUBMIT_FORM = simple(
    page_extra=b"/Annots [4 0 R]",
    more=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 20] /A << /S /SubmitForm /F (https://x.example/) >> >>"],
)
EMBEDDED_FILE = simple(
    b"/Names << /EmbeddedFiles << /Names [(programma.exe) 4 0 R] >> >>",
    more=[
        b"<< /Type /Filespec /F (programma.exe) /EF << /F 5 0 R >> >>",
        stream(b"MZ\x90\x00", b"/Type /EmbeddedFile"),
    ],
)
# Names written with #-escapes ("/J#61vaScript" is "/JavaScript"), as droppers do.
OBFUSCATED_NAMES = simple(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")
XFA_SCRIPT = simple(
    b"/AcroForm << /Fields [] /XFA 4 0 R >>",
    more=[
        stream(
            b"<xdp:xdp><template><subform><script contentType='application/x-javascript'>app.alert(1)"
            b"</script></subform></template></xdp:xdp>"
        )
    ],
)


def _object_stream(number: int, body: bytes) -> bytes:
    header = b"%d 0 " % number
    data = zlib.compress(header + body)
    return (
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (
            len(header),
            len(data),
        )
        + data
        + b"\nendstream"
    )


# The JavaScript action compressed inside an object stream, in a file without a cross-reference
# table: readable only by rebuilding the table and opening the object stream.
HIDDEN_IN_OBJECT_STREAM = build_pdf(
    [CATALOG % b"/OpenAction 5 0 R", PAGES, PAGE % b"", _object_stream(5, b"<< /S /JavaScript /JS (app.alert(1)) >>")],
    cross_reference=False,
)
