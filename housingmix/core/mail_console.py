"""An e-mail backend for development that prints each message as a person reads it.

Django's console backend prints the raw MIME message, so one PDF receipt fills the terminal
with base64. This one prints the sender, the recipients, the subject and the text body, and
names each alternative and attachment with its type and size only. It is the default of
``DJANGO_EMAIL_BACKEND``; production sets SMTP.
"""

from email.mime.base import MIMEBase

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

RULE = "-" * 79


def _size(content) -> int:
    """Size in bytes of an attachment's or alternative's content as it would be sent."""
    if isinstance(content, bytes):
        return len(content)
    if isinstance(content, str):
        return len(content.encode("utf-8"))
    if isinstance(content, EmailMessage):  # a forwarded message (message/rfc822)
        return len(content.message().as_bytes())
    return len(bytes(content))


def _attachment(attachment) -> tuple[str, str, int]:
    """(file name, MIME type, size) of an attachment given as a tuple or as a MIME part."""
    if isinstance(attachment, MIMEBase):
        payload = attachment.get_payload(decode=True) or b""
        return attachment.get_filename() or "(no name)", attachment.get_content_type(), len(payload)
    filename, content, mimetype = attachment
    return filename or "(no name)", mimetype or "application/octet-stream", _size(content)


def message_summary(message: EmailMessage) -> str:
    """The message as printed on the console: headers people read, the body, attachments by name."""
    lines = ["Subject: %s" % message.subject, "From: %s" % message.from_email]
    for label, addresses in (("To", message.to), ("Cc", message.cc), ("Bcc", message.bcc)):
        if addresses:
            lines.append("%s: %s" % (label, ", ".join(addresses)))
    if message.reply_to:
        lines.append("Reply-To: %s" % ", ".join(message.reply_to))
    lines.append("")
    if message.content_subtype != "plain":
        lines.append("(body in text/%s)" % message.content_subtype)
    lines.append(message.body.rstrip("\n"))
    extras = [
        "Alternative: %s, %d bytes (not shown)" % (alternative[1], _size(alternative[0]))
        for alternative in getattr(message, "alternatives", [])
    ]
    extras += ["Attachment: %s (%s, %d bytes)" % _attachment(attachment) for attachment in message.attachments]
    if extras:
        lines += [""] + extras
    return "\n".join(lines)


class EmailBackend(ConsoleEmailBackend):
    """Django's console backend (same stream, locking and flushing), printing summaries."""

    def write_message(self, message):
        # Building the MIME message keeps Django's checks (e.g. no newline in a header), so a
        # message that SMTP would refuse fails here too.
        message.message()
        self.stream.write("%s\n%s\n" % (message_summary(message), RULE))
