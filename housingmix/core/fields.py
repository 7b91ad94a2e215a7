"""Form fields for Italian input: numbers written as 1.234,56 and yes/no questions."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_GROUPED_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")


def parse_italian_number(value: str, *, language: str = "it") -> Decimal:
    """Parse a number as people write it: "1.234,56", "1234,56", "1234.56", "€ 850".

    With both separators, the last one is the decimal separator ("1.234,56" and, from an
    English page, "1,234.56"). With one kind only, digits grouped by three are thousands in the
    page's language ("1.234" in Italian, "1,234" in English); otherwise it is the decimal
    separator. Raises ValueError when the text is not a number.
    """
    text = (value or "").strip().replace("€", "").replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not text:
        raise ValueError("empty")
    unsigned = text.lstrip("+-")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif "," in text:
        if language == "en" and _GROUPED_COMMA.match(unsigned):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif "." in text and language != "en" and _GROUPED_DOT.match(unsigned):
        text = text.replace(".", "")
    if not re.match(r"^[+-]?\d+(\.\d+)?$", text):
        raise ValueError("not a number")
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError("not a number") from error


class ItalianDecimalField(forms.DecimalField):
    """A DecimalField that accepts Italian notation and shows values with a decimal comma."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Scrivi un numero, ad esempio 1.234,56.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_italian_number(str(value), language=(get_language() or "it")[:2])
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return number

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # A text box with a numeric keyboard: type=number would refuse the comma in some browsers.
        attrs.pop("step", None)
        attrs["inputmode"] = "decimal"
        return attrs


YES_NO = [(True, _("Sì")), (False, _("No"))]


class YesNoField(forms.TypedChoiceField):
    """A yes/no question that may stay unanswered in a draft (None)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", YES_NO)
        kwargs.setdefault("coerce", lambda v: v in (True, "True", "true", "1"))
        kwargs.setdefault("empty_value", None)
        kwargs.setdefault("widget", forms.RadioSelect)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return "" if value is None else str(bool(value))
