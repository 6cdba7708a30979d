"""Russian amounts in words («Одна тысяча двести рублей 50 копеек»), as contracts and
invoices state every sum twice: in figures and in words."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["MAX_AMOUNT", "amount_in_words", "integer_in_words", "plural"]

#: The largest amount spelled out (just under a quadrillion roubles).
MAX_AMOUNT = Decimal("999999999999999.99")

_KOPECK = Decimal("0.01")

_UNITS_MASCULINE = (
    "",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
)
_UNITS_FEMININE = ("", "одна", "две", *_UNITS_MASCULINE[3:])
_TEENS = (
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
)
_TENS = (
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
)
_HUNDREDS = (
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
)

# (one, few, many, feminine) for 10**3, 10**6, 10**9, 10**12.
_SCALES = (
    ("тысяча", "тысячи", "тысяч", True),
    ("миллион", "миллиона", "миллионов", False),
    ("миллиард", "миллиарда", "миллиардов", False),
    ("триллион", "триллиона", "триллионов", False),
)


def plural(n: int, one: str, few: str, many: str) -> str:
    """Pick the Russian plural form agreeing with `n` (1 рубль, 2 рубля, 5 рублей, 11 рублей)."""
    n = abs(n)
    if 11 <= n % 100 <= 14:
        return many
    last = n % 10
    if last == 1:
        return one
    if 2 <= last <= 4:
        return few
    return many


def _triad(n: int, feminine: bool) -> list[str]:
    """Spell a number from 0 to 999 as words, in the given gender for 1 and 2."""
    words = [_HUNDREDS[n // 100]]
    rest = n % 100
    if 10 <= rest <= 19:
        words.append(_TEENS[rest - 10])
    else:
        words.append(_TENS[rest // 10])
        words.append((_UNITS_FEMININE if feminine else _UNITS_MASCULINE)[rest % 10])
    return [word for word in words if word]


def integer_in_words(n: int, *, feminine: bool = False) -> str:
    """Spell a non-negative integer below 10**15 in lower-case Russian words."""
    if n < 0 or n >= 10**15:
        raise ValueError(f"число вне допустимого диапазона: {n}")
    if n == 0:
        return "ноль"
    words = _triad(n % 1000, feminine)
    n //= 1000
    for one, few, many, scale_feminine in _SCALES:
        if n == 0:
            break
        group = n % 1000
        if group:
            words = [*_triad(group, scale_feminine), plural(group, one, few, many), *words]
        n //= 1000
    return " ".join(words)


def amount_in_words(amount: Decimal | int) -> str:
    """Spell a rouble amount as contracts do: words for roubles, two figures for kopecks."""
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
    text = (
        f"{integer_in_words(roubles)} {plural(roubles, 'рубль', 'рубля', 'рублей')} "
        f"{kopecks:02d} {plural(kopecks, 'копейка', 'копейки', 'копеек')}"
    )
    return text[0].upper() + text[1:]
