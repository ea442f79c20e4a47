"""Numbers as people write them, the one formatter every table, page and reason uses."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


def fmt_number(value: Decimal) -> str:
    """A decimal as people write it: 7.5, 7000, -10.98 (no exponent, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def fmt_term(term: Any) -> str:
    """:func:`fmt_number` for an RDF literal or any value; ``''`` for None, the text itself when it
    is not a number."""
    if term is None:
        return ""
    try:
        return fmt_number(Decimal(str(term)))
    except (InvalidOperation, ValueError):
        return str(term)
