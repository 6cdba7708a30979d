"""Russian amounts in words («Одна тысяча двести рублей 50 копеек»), as contracts and
invoices state every sum twice: in figures and in words. The words and the plural forms are
num2words' (lang "ru"); this module only fixes the contract style around them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words
from num2words.lang_RU import Num2Word_RU

from privet_tui.pdf.layout import nobreak

__all__ = ["MAX_AMOUNT", "amount_in_words", "plural"]

#: The largest amount spelled out (just under a quadrillion roubles).
MAX_AMOUNT = Decimal("999999999999999.99")

_KOPECK = Decimal("0.01")
_RUSSIAN = Num2Word_RU()
_ROUBLE_FORMS, _KOPECK_FORMS = Num2Word_RU.CURRENCY_FORMS["RUB"]


def plural(n: int, one: str, few: str, many: str) -> str:
    """Pick the Russian plural form agreeing with `n` (1 минута, 2 минуты, 5 минут, 11 минут)."""
    return str(_RUSSIAN.pluralize(abs(n), (one, few, many)))


def amount_in_words(amount: Decimal | int) -> str:
    """Spell a rouble amount as contracts do, capitalised, roubles in words and kopecks in
    two figures kept on one line with their unit: «Одна тысяча девятьсот девяносто рублей
    00 копеек». An int is whole roubles; kopecks round half up. TypeError for a float or
    any other type; ValueError for a negative, non-finite or over-`MAX_AMOUNT` amount."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"сумма должна быть Decimal, а не {type(amount).__name__}")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"сумма должна быть конечным числом: {amount}")
    if value < 0:
        raise ValueError(f"сумма не может быть отрицательной: {amount}")
    value = value.quantize(_KOPECK, rounding=ROUND_HALF_UP)
    if value > MAX_AMOUNT:
        raise ValueError(f"сумма слишком велика: {amount}")
    roubles = int(value)
    kopecks = int((value - roubles) * 100)
    words = str(num2words(roubles, lang="ru"))
    text = (
        f"{words} {plural(roubles, *_ROUBLE_FORMS)} "
        f"{nobreak(f'{kopecks:02d}', plural(kopecks, *_KOPECK_FORMS))}"
    )
    return text[0].upper() + text[1:]
