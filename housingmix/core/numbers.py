"""Numbers and money as Italian acts write them, independent of the active language.

One definition for pages, PDFs and exports: ``1.234,56`` and ``€ 1.234,56``.
"""

from decimal import Decimal, InvalidOperation


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def number_it(value, places: int | None = None) -> str:
    """``1234.5`` as ``1.234,5`` (``places`` fixes the decimals); empty for no value."""
    number = _decimal(value)
    if number is None:
        return ""
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    sign, text = ("-", str(-number)) if number < 0 else ("", str(number))
    whole, _dot, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def euro(value) -> str:
    """A sum in euro: ``€ 1.234,56`` (empty for no value)."""
    text = number_it(value, places=2)
    return "€ %s" % text if text else ""
