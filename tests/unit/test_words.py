"""Russian amounts in words: genders, plural forms of рубль and копейка, every scale, the
contract style (capital letter, kopecks in figures kept with their unit) around num2words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from privet_tui.pdf.layout import NBSP
from privet_tui.pdf.words import MAX_AMOUNT, amount_in_words, plural


def spaced(text: str) -> str:
    """The text with its no-break spaces shown as the spaces they print as."""
    return text.replace(NBSP, " ")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0", "Ноль рублей 00 копеек"),
        ("0.01", "Ноль рублей 01 копейка"),
        ("0.02", "Ноль рублей 02 копейки"),
        ("0.05", "Ноль рублей 05 копеек"),
        ("0.11", "Ноль рублей 11 копеек"),
        ("0.21", "Ноль рублей 21 копейка"),
        ("0.99", "Ноль рублей 99 копеек"),
        ("1", "Один рубль 00 копеек"),
        ("2", "Два рубля 00 копеек"),
        ("4", "Четыре рубля 00 копеек"),
        ("5", "Пять рублей 00 копеек"),
        ("10", "Десять рублей 00 копеек"),
        ("11", "Одиннадцать рублей 00 копеек"),
        ("12", "Двенадцать рублей 00 копеек"),
        ("13", "Тринадцать рублей 00 копеек"),
        ("14", "Четырнадцать рублей 00 копеек"),
        ("19", "Девятнадцать рублей 00 копеек"),
        ("20", "Двадцать рублей 00 копеек"),
        ("21", "Двадцать один рубль 00 копеек"),
        ("22", "Двадцать два рубля 00 копеек"),
        ("40", "Сорок рублей 00 копеек"),
        ("90", "Девяносто рублей 00 копеек"),
        ("100", "Сто рублей 00 копеек"),
        ("101", "Сто один рубль 00 копеек"),
        ("111", "Сто одиннадцать рублей 00 копеек"),
        ("112.12", "Сто двенадцать рублей 12 копеек"),
        ("200", "Двести рублей 00 копеек"),
        ("999", "Девятьсот девяносто девять рублей 00 копеек"),
        ("1000", "Одна тысяча рублей 00 копеек"),
        ("1001", "Одна тысяча один рубль 00 копеек"),
        ("1234.50", "Одна тысяча двести тридцать четыре рубля 50 копеек"),
        ("2000", "Две тысячи рублей 00 копеек"),
        ("3000", "Три тысячи рублей 00 копеек"),
        ("5000", "Пять тысяч рублей 00 копеек"),
        ("11000", "Одиннадцать тысяч рублей 00 копеек"),
        ("12000", "Двенадцать тысяч рублей 00 копеек"),
        ("21000", "Двадцать одна тысяча рублей 00 копеек"),
        ("22000", "Двадцать две тысячи рублей 00 копеек"),
        ("100000", "Сто тысяч рублей 00 копеек"),
        ("1000000", "Один миллион рублей 00 копеек"),
        ("1001000", "Один миллион одна тысяча рублей 00 копеек"),
        ("2000001", "Два миллиона один рубль 00 копеек"),
        ("5000000", "Пять миллионов рублей 00 копеек"),
        ("21000000", "Двадцать один миллион рублей 00 копеек"),
        ("1000000000", "Один миллиард рублей 00 копеек"),
        ("2000000000", "Два миллиарда рублей 00 копеек"),
        ("12000000000", "Двенадцать миллиардов рублей 00 копеек"),
        ("1000000000000", "Один триллион рублей 00 копеек"),
        (
            "999999999999.99",
            "Девятьсот девяносто девять миллиардов девятьсот девяносто девять миллионов "
            "девятьсот девяносто девять тысяч девятьсот девяносто девять рублей 99 копеек",
        ),
    ],
)
def test_amount_in_words(amount: str, expected: str) -> None:
    assert spaced(amount_in_words(Decimal(amount))) == expected


def test_contract_style_fee_and_kopecks_kept_with_their_unit() -> None:
    assert amount_in_words(Decimal("1990.00")) == (
        f"Одна тысяча девятьсот девяносто рублей 00{NBSP}копеек"
    )
    assert amount_in_words(Decimal("0.21")).endswith(f" 21{NBSP}копейка")


def _rouble_form(n: int) -> str:
    """The declension of «рубль» after n, by the grammar rule (11–14 are «рублей»)."""
    if 11 <= n % 100 <= 14:
        return "рублей"
    return {1: "рубль", 2: "рубля", 3: "рубля", 4: "рубля"}.get(n % 10, "рублей")


_SAMPLE = sorted(
    {
        *range(0, 130),
        *range(990, 1030),
        *(
            k * 10**e + d
            for e in (3, 6, 9, 12)
            for k in (1, 2, 3, 4, 5, 11, 14, 21, 22, 25, 101, 111)
            for d in (0, 1, 2, 5, 11, 21)
        ),
    }
)


def test_rouble_declension_over_hundreds_of_values() -> None:
    assert len(_SAMPLE) > 400
    for n in _SAMPLE:
        text = spaced(amount_in_words(n))
        words = text.removesuffix(" 00 копеек").split()
        assert words[-1] == _rouble_form(n), text
        # Word for word what num2words says, in the contract style.
        library = num2words(Decimal(n), lang="ru", to="currency", currency="RUB", cents=False)
        assert text == library.replace(",", "").capitalize(), text


def test_ints_are_roubles() -> None:
    assert spaced(amount_in_words(22)) == "Двадцать два рубля 00 копеек"


def test_kopecks_round_half_up() -> None:
    assert spaced(amount_in_words(Decimal("1.005"))) == "Один рубль 01 копейка"
    assert spaced(amount_in_words(Decimal("1.994"))) == "Один рубль 99 копеек"
    assert spaced(amount_in_words(Decimal("1.995"))) == "Два рубля 00 копеек"


@pytest.mark.parametrize("amount", [Decimal("-0.01"), Decimal("-1"), -5, Decimal("-0.001")])
def test_negative_refused(amount: Decimal | int) -> None:
    with pytest.raises(ValueError, match="отрицательной"):
        amount_in_words(amount)


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity"), MAX_AMOUNT + 1])
def test_non_finite_and_too_large_refused(amount: Decimal) -> None:
    with pytest.raises(ValueError, match="сумма"):
        amount_in_words(amount)


@pytest.mark.parametrize("amount", [1.5, "12", True, None])
def test_floats_and_other_types_refused(amount: object) -> None:
    with pytest.raises(TypeError):
        amount_in_words(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "form"),
    [
        *[(0, "many"), (1, "one"), (2, "few"), (4, "few"), (5, "many"), (11, "many")],
        *[(14, "many"), (21, "one"), (22, "few"), (25, "many"), (101, "one"), (111, "many")],
        *[(112, "many"), (1001, "one"), (1011, "many"), (1022, "few")],
    ],
)
def test_plural(n: int, form: str) -> None:
    assert plural(n, "one", "few", "many") == form


_AMOUNTS = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False)


@given(_AMOUNTS)
def test_every_valid_amount_is_spelled(amount: Decimal) -> None:
    text = spaced(amount_in_words(amount))
    assert text[0].isupper()
    assert text.split()[-1] in {"копейка", "копейки", "копеек"}
    assert text.split()[-2] == f"{int(amount * 100) % 100:02d}"
    assert any(f" {word} " in f" {text} " for word in ("рубль", "рубля", "рублей"))
    assert "  " not in text
    assert text == text.strip()


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_scale_words_agree_with_digits(n: int) -> None:
    words = spaced(amount_in_words(n)).lower().split()
    billions, millions, thousands = n // 10**9 % 1000, n // 10**6 % 1000, n // 1000 % 1000
    for group, forms in (
        (billions, ("миллиард", "миллиарда", "миллиардов")),
        (millions, ("миллион", "миллиона", "миллионов")),
        (thousands, ("тысяча", "тысячи", "тысяч")),
    ):
        present = [w for w in words if w in forms]
        assert present == ([plural(group, *forms)] if group else [])
    # The feminine thousand: «одна тысяча», «две тысячи», never «один/два тысяч…».
    assert "один тысяч" not in " ".join(words)
    assert "два тысяч" not in " ".join(words)
