"""Contract and invoice PDFs: text that extracts in Cyrillic, page numbers, the signature
block, reproducible drafts, valid files, user text printed literally, snapshot round trips."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shutil
import subprocess
import time
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import hypothesis
import pytest
from hypothesis import strategies as st

from privet_tui.errors import PrivetError, ValidationError
from privet_tui.pdf import glyphs, layout
from privet_tui.pdf.contract import render_contract
from privet_tui.pdf.documents import (
    ChargeLine,
    ClientData,
    CompanyRequisites,
    ContractDocument,
    DeviceLine,
    InvoiceDocument,
    PassportDetails,
    SignatureEvidence,
)
from privet_tui.pdf.faces import FONT_FAMILY, FontError
from privet_tui.pdf.invoice import render_invoice
from privet_tui.pdf.layout import NBSP, check_fonts, font_paths
from privet_tui.services.rules.validation import clean_text, normalize_address

MSK = timezone(timedelta(hours=3))
LONG_NAME = "Константинопольская-Шереметьева Александра Вячеславовна"
SHA = "5ccb157fd31383dc080d98ca8b2c42bed63be38e45199cc33e771ccad69d8fc8"
COMPANY = CompanyRequisites(
    name="ООО «Привет Сервис»",
    inn="7701234567",
    kpp="770101001",
    ogrn="1197746123456",
    address="123456, г. Москва, ул. Большая Дмитровка, д. 32, стр. 1, офис 405",
    bank="ПАО СБЕРБАНК, г. Москва",
    bik="044525225",
    account="40702810938000012345",
    corr_account="30101810400000000225",
    phone="+7 495 123-45-67",
    email="info@privet.example",
)
CHARGES = (
    ChargeLine("Подключение к тарифу «Комфорт»", 1, Decimal("1500.00"), Decimal("1500.00")),
    ChargeLine(
        "Доплата за устройства сверх включённых в тариф (крупная бытовая техника)",
        2,
        Decimal("450.25"),
        Decimal("900.50"),
    ),
    ChargeLine("Диагностика при подключении", 3, Decimal("333.33"), Decimal("999.99")),
)
TOTAL = Decimal("3400.49")
TOTAL_WORDS = "Три тысячи четыреста рублей 49 копеек"

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler absent")
needs_qpdf = pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf absent")


def make_contract(devices: int = 3, full_name: str = LONG_NAME) -> ContractDocument:
    """Build a contract with realistic, wrapping Russian data and `devices` devices."""
    categories = ("Холодильник", "Стиральная машина", "Посудомоечная машина", "Телевизор")
    passport = PassportDetails(
        series="45 12",
        number="345678",
        issued_by="Отделом УФМС России по гор. Москве по району Северное Медведково",
        issue_date=date(2015, 3, 15),
        department_code="770-093",
        birth_date=date(1985, 2, 1),
        birth_place="гор. Ленинград",
        registration_address="127282, г. Москва, ул. Полярная, д. 31, корп. 2, кв. 118",
    )
    client = ClientData(
        full_name=full_name,
        phone="+79161234567",
        email="a.konst@example.ru",
        address="141006, Московская обл., г. Мытищи, Олимпийский проспект, д. 29, корп. 3, "
        "кв. 214, подъезд 2, этаж 11",
        passport=passport,
    )
    return ContractDocument(
        number="ПМ-2026-000123",
        created_at=datetime(2026, 11, 28, 13, 47, tzinfo=MSK),
        city="Москва",
        company=COMPANY,
        client=client,
        master_name="Иванов Пётр Сергеевич",
        tariff_name="Комфорт",
        monthly_fee=Decimal("799.00"),
        devices=tuple(
            DeviceLine(categories[i % 4], "Samsung", f"RB-37J5000SA/WT {i}", f"SN{1000 + i}")
            for i in range(devices)
        ),
        charges=CHARGES,
        total_due=TOTAL,
    )


def make_signature(signed_at: datetime | None = None) -> SignatureEvidence:
    """Build signature evidence for the draft with hash SHA."""
    moment = signed_at or datetime(2026, 11, 28, 14, 3, 27, tzinfo=MSK)
    return SignatureEvidence(
        moment, SHA, 98765, "Иванов Пётр Сергеевич", "10.0.0.5 5123 10.0.0.1 22"
    )


def make_invoice(paid: bool = False) -> InvoiceDocument:
    """Build an invoice for the contract above."""
    return InvoiceDocument(
        number="СЧ-2026-000045",
        issued_at=datetime(2026, 11, 28, 15, 0, tzinfo=MSK),
        due_date=date(2026, 12, 5),
        company=COMPANY,
        client_name=LONG_NAME,
        client_address="141006, Московская обл., г. Мытищи, Олимпийский проспект, д. 29",
        contract_number="ПМ-2026-000123",
        contract_date=date(2026, 11, 28),
        lines=CHARGES,
        total=TOTAL,
        paid=paid,
    )


def page_count(pdf: bytes) -> int:
    """Count page objects without a PDF library."""
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def text_of(pdf: bytes, tmp_path: Path) -> str:
    """Extract the text with pdftotext, whitespace collapsed so wrapped lines compare."""
    path = tmp_path / f"{hashlib.sha256(pdf).hexdigest()[:12]}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


# --- without poppler -------------------------------------------------------------------


def test_contract_is_a_pdf_with_embedded_dejavu() -> None:
    pdf = render_contract(make_contract())
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert pdf.count(b"/FontFile2") == 2
    assert b"/BaseFont /MPDFAA+DejaVuSansBook" in pdf
    assert b"/BaseFont /MPDFAA+DejaVuSansBold" in pdf
    assert page_count(pdf) == 2
    assert len(pdf) < 60_000


def test_thirty_devices_span_pages_and_invoice_is_one_page() -> None:
    assert page_count(render_contract(make_contract(devices=30))) == 3
    assert page_count(render_contract(make_contract(devices=0))) == 2
    assert page_count(render_invoice(make_invoice())) == 1


def test_draft_is_byte_for_byte_reproducible() -> None:
    doc = make_contract()
    first = render_contract(doc)
    assert render_contract(doc) == first
    # Dated by the contract, not by the clock, so a render a second later is the same file.
    assert b"/CreationDate (D:20261128134700+03'00')" in first
    snapshot = json.loads(json.dumps(doc.to_dict()))
    assert render_contract(ContractDocument.from_dict(snapshot)) == first
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert set(pool.map(lambda _: render_contract(doc), range(4))) == {first}
    later = dataclasses.replace(doc, created_at=doc.created_at + timedelta(minutes=1))
    assert render_contract(later) != first
    assert render_contract(dataclasses.replace(doc, number="ПМ-2026-000124")) != first


def test_font_cache_renders_exactly_what_fpdf_add_font_renders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc = make_contract()
    cached = render_contract(doc, make_signature())

    def add_fonts(pdf: layout.DocumentPDF) -> None:
        for style, path in zip(("", "B"), layout.font_paths(), strict=True):
            pdf.add_font(FONT_FAMILY, style, path)

    monkeypatch.setattr(layout, "add_faces", add_fonts)
    assert render_contract(doc, make_signature()) == cached


@pytest.fixture
def machine_zone() -> Iterator[None]:
    """Switch the process's local time zone to New York for one test."""
    mp = pytest.MonkeyPatch()
    mp.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    mp.undo()
    time.tzset()


def test_draft_does_not_depend_on_machine_zone(machine_zone: None) -> None:
    doc = make_contract()
    before = render_contract(doc)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "Asia/Vladivostok")
        time.tzset()
        assert render_contract(doc) == before
    time.tzset()


def test_signed_copy_differs_and_is_reproducible() -> None:
    doc = make_contract()
    signed = render_contract(doc, make_signature())
    assert signed != render_contract(doc)
    assert signed == render_contract(doc, make_signature())
    assert b"/CreationDate (D:20261128140327+03'00')" in signed


def test_fonts_are_bundled_with_licence() -> None:
    paths = font_paths()
    assert [p.name for p in paths] == ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]
    assert all(p.is_file() and p.parent == glyphs.FONT_DIR for p in paths)
    assert "Bitstream" in (glyphs.FONT_DIR / "LICENSE-DejaVu.txt").read_text()
    check_fonts()


def test_check_fonts_reports_missing_and_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layout, "FONT_DIR", tmp_path)
    with pytest.raises(FontError, match=r"DejaVuSans\.ttf"):
        check_fonts()
    for path in font_paths():
        path.write_bytes(b"<html>not a font</html>")
    (tmp_path / "LICENSE-DejaVu.txt").write_text("licence")
    with pytest.raises(FontError, match="TrueType"):
        check_fonts()


def test_signed_at_is_shown_in_its_own_zone() -> None:
    moscow = datetime(2026, 11, 28, 14, 3, tzinfo=ZoneInfo("Europe/Moscow"))
    assert layout.format_datetime(moscow) == "28.11.2026 14:03 UTC+03:00".replace(" ", NBSP)
    assert layout.format_datetime(moscow.astimezone(UTC)) == f"28.11.2026{NBSP}11:03{NBSP}UTC+00:00"
    india = datetime(2026, 1, 2, 3, 4, tzinfo=timezone(-timedelta(hours=3, minutes=30)))
    assert layout.format_datetime(india) == f"02.01.2026{NBSP}03:04{NBSP}UTC-03:30"
    with pytest.raises(ValueError, match="timezone-aware"):
        layout.format_datetime(datetime(2026, 1, 1))


def test_numbers_and_their_units_are_joined_by_no_break_spaces() -> None:
    assert layout.format_money(Decimal("1234567.5")) == f"1{NBSP}234{NBSP}567,50"
    assert layout.format_money(Decimal("0")) == "0,00"
    assert layout.format_rubles(Decimal("1990")) == f"1{NBSP}990,00{NBSP}руб."
    assert layout.format_date_long(date(2026, 3, 8)) == f"«08»{NBSP}марта{NBSP}2026{NBSP}г."
    assert layout.nobreak("№", "ПМ-2026-000123") == f"№{NBSP}ПМ-2026-000123"
    assert layout.one_line("+7 916 123-45-67") == f"+7{NBSP}916{NBSP}123-45-67"


# --- snapshots --------------------------------------------------------------------------


def test_contract_snapshot_round_trips_through_json() -> None:
    doc = make_contract()
    data = doc.to_dict()
    assert data["schema"] == 1
    assert data["total_due"] == "3400.49"
    assert data["monthly_fee"] == "799.00"
    assert data["charges"][1] == {
        "label": CHARGES[1].label,
        "quantity": 2,
        "unit_price": "450.25",
        "amount": "900.50",
    }
    assert data["created_at"] == "2026-11-28T13:47:00+03:00"
    assert data["client"]["passport"]["issue_date"] == "2015-03-15"
    assert ContractDocument.from_dict(json.loads(json.dumps(data))) == doc
    no_passport = dataclasses.replace(doc, client=dataclasses.replace(doc.client, passport=None))
    assert ContractDocument.from_dict(no_passport.to_dict()) == no_passport


def test_invoice_and_signature_round_trip() -> None:
    invoice = make_invoice(paid=True)
    assert InvoiceDocument.from_dict(json.loads(json.dumps(invoice.to_dict()))) == invoice
    signature = make_signature()
    assert SignatureEvidence.from_dict(json.loads(json.dumps(signature.to_dict()))) == signature


def test_snapshots_of_another_schema_are_refused() -> None:
    data = make_contract().to_dict() | {"schema": 2}
    with pytest.raises(ValueError, match="schema"):
        ContractDocument.from_dict(data)


def test_documents_refuse_bad_money_and_naive_times() -> None:
    doc = make_contract()
    with pytest.raises(TypeError, match="Decimal"):
        dataclasses.replace(doc, total_due=3400.49)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kopecks"):
        dataclasses.replace(doc, total_due=Decimal("1.001"))
    with pytest.raises(ValueError, match="timezone-aware"):
        dataclasses.replace(doc, created_at=datetime(2026, 11, 28))
    with pytest.raises(ValueError, match="sha256"):
        dataclasses.replace(make_signature(), document_sha256="abc")


# --- with poppler and qpdf ----------------------------------------------------------------


@needs_pdftotext
def test_contract_text_extracts_in_cyrillic(tmp_path: Path) -> None:
    text = text_of(render_contract(make_contract()), tmp_path)
    assert "Договор на сервисное обслуживание № ПМ-2026-000123" in text
    assert "«28» ноября 2026 г." in text
    assert LONG_NAME in text
    assert "серия 45 12 № 345678" in text
    assert "Холодильник Samsung RB-37J5000SA/WT 0 SN1000" in text
    assert "Итого к оплате: 3 400,49" in text
    assert f"3 400,49 руб. ({TOTAL_WORDS})" in text
    assert "799,00 руб. (Семьсот девяносто девять рублей 00 копеек)" in text
    assert "статьёй 9 Федерального закона от 06.04.2011 № 63-ФЗ «Об электронной подписи»" in text
    assert "в чат поддержки приложения «Привет Супер»" in text
    assert "не передавать его третьим лицам" in text
    assert "в течение 10 минут с момента его отправки" in text
    assert "равнозначным документу на бумажном носителе" in text
    assert "Страница 1 из 2" in text
    assert "Страница 2 из 2" in text
    assert "подписан простой электронной подписью" not in text


@needs_pdftotext
def test_long_device_list_keeps_every_row(tmp_path: Path) -> None:
    text = text_of(render_contract(make_contract(devices=30)), tmp_path)
    assert all(f"SN{1000 + i}" in text for i in range(30))
    assert "Страница 1 из 3" in text
    assert "Страница 3 из 3" in text
    assert text.count("Серийный номер") == 2  # the heading row repeats on the next page


@needs_pdftotext
def test_contract_without_devices_says_so(tmp_path: Path) -> None:
    text = text_of(render_contract(make_contract(devices=0)), tmp_path)
    assert "Устройства в договор не включены." in text
    assert "Серийный номер" not in text


@needs_pdftotext
def test_signed_copy_has_the_signature_block(tmp_path: Path) -> None:
    text = text_of(render_contract(make_contract(), make_signature()), tmp_path)
    assert "Документ подписан простой электронной подписью" in text
    assert f"Подписант: {LONG_NAME}" in text
    assert "Дата и время подписания: 28.11.2026 14:03 UTC+03:00" in text
    assert f"SHA-256 проекта договора: {SHA}" in text
    assert "(сообщение № 98765)" in text
    assert "Подпись принята мастером: Иванов Пётр Сергеевич" in text
    assert "10.0.0.5" not in text  # the workstation's address stays in the database
    assert text.rindex("Документ подписан") > text.rindex("Реквизиты и подписи Сторон")


@needs_pdftotext
def test_requisites_too_tall_for_columns_are_stacked(tmp_path: Path) -> None:
    doc = make_contract()
    address = "Очень длинный адрес регистрации " * 120 + "конец адреса"
    assert doc.client.passport is not None
    passport = dataclasses.replace(doc.client.passport, registration_address=address)
    doc = dataclasses.replace(doc, client=dataclasses.replace(doc.client, passport=passport))
    text = text_of(render_contract(doc, make_signature()), tmp_path)
    assert "Адрес регистрации: Очень длинный адрес" in text
    assert "адрес регистрации конец адреса Тел.: +79161234567" in text  # crosses a page
    body = re.sub(r" ?Договор № ПМ-2026-000123 Страница \d из \d", "", text)
    assert body.count("Очень длинный адрес регистрации") == 120
    assert "Документ подписан простой электронной подписью" in text


@needs_pdftotext
def test_invoice_text(tmp_path: Path) -> None:
    text = text_of(render_invoice(make_invoice()), tmp_path)
    assert "Счёт № СЧ-2026-000045 от 28.11.2026" in text
    for requisite in ("БИК 044525225", "ИНН 7701234567", "КПП 770101001", "ПАО СБЕРБАНК"):
        assert requisite in text
    assert "40702810938000012345" in text
    assert "30101810400000000225" in text
    assert f"Заказчик: {LONG_NAME}" in text
    assert "Основание: Договор на сервисное обслуживание № ПМ-2026-000123 от 28.11.2026" in text
    assert "Всего к оплате: 3 400,49" in text
    assert "Без НДС" in text
    assert TOTAL_WORDS in text
    assert "Оплатить до 05.12.2026" in text
    assert "Оплачен" not in text
    assert "Страница 1 из 1" in text
    paid = text_of(render_invoice(make_invoice(paid=True)), tmp_path)
    assert "Оплачен" in paid
    assert "Оплатить до" not in paid  # a paid invoice asks for nothing
    assert "заверен электронной печатью компании" in paid


@needs_pdftotext
def test_user_text_is_printed_literally(tmp_path: Path) -> None:
    name = "Иванов [b]x[/b] <script>alert(1)</script> **жирный** {nb} (скобки) \\ %"
    text = text_of(render_contract(make_contract(full_name=name)), tmp_path)
    assert name in text


@needs_qpdf
@pytest.mark.parametrize(
    "render",
    [
        lambda: render_contract(make_contract()),
        lambda: render_contract(make_contract(devices=30), make_signature()),
        lambda: render_invoice(make_invoice(paid=True)),
    ],
    ids=["draft", "signed", "invoice"],
)
def test_qpdf_check_passes(render: Callable[[], bytes], tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(render())
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


# --- glyphs the fonts cannot draw are refused, never dropped ------------------------------

FANCY = "г. 𝐌𝐨𝐬𝐜𝐨𝐰, ул. Мира, д. 1"  # maths-bold letters, as pasted from a «fancy text» site


def _page() -> layout.DocumentPDF:
    return layout.DocumentPDF(
        title="t", author="a", created_at=datetime(2026, 11, 28, tzinfo=MSK), footer_note="n"
    )


def _table_cell(pdf: layout.DocumentPDF, text: str) -> None:
    with pdf.table() as table:
        table.row(["Адрес", text])


@pytest.mark.parametrize(
    "draw",
    [
        lambda pdf, text: pdf.cell(0, 5, text),
        lambda pdf, text: pdf.multi_cell(0, 5, text),
        lambda pdf, text: pdf.write(5, text),
        lambda pdf, text: pdf.text(20, 20, text),
        _table_cell,
        lambda pdf, text: pdf.paragraph(text),
        lambda pdf, text: pdf.columns(("A", "B"), ("Иванов", text)),
        lambda pdf, text: pdf.framed("Подпись", (text,), color=(0, 0, 0)),
    ],
    ids=["cell", "multi_cell", "write", "text", "table", "paragraph", "columns", "framed"],
)
def test_every_way_of_writing_text_refuses_a_glyph_the_fonts_lack(
    draw: Callable[[layout.DocumentPDF, str], object],
) -> None:
    draw(_page(), FANCY.replace("𝐌𝐨𝐬𝐜𝐨𝐰", "Москва"))  # the same call prints Cyrillic
    with pytest.raises(layout.UnprintableTextError) as raised:
        draw(_page(), FANCY)
    assert raised.value.char == "𝐌"
    assert "«𝐌» (U+1D40C, особое начертание «M»)" in raised.value.message
    assert isinstance(raised.value, PrivetError)


def test_contract_with_an_unprintable_address_is_refused_not_printed_without_it() -> None:
    doc = make_contract()
    assert doc.client.passport is not None
    passport = dataclasses.replace(doc.client.passport, registration_address=FANCY)
    doc = dataclasses.replace(doc, client=dataclasses.replace(doc.client, passport=passport))
    with pytest.raises(layout.UnprintableTextError, match="U\\+1D40C"):
        render_contract(doc)
    with pytest.raises(layout.UnprintableTextError, match="U\\+6F22, буква алфавита"):
        render_invoice(dataclasses.replace(make_invoice(), client_name="Иванов 漢"))


# --- numbers stay with their units ----------------------------------------------------------


def _raw_text(pdf: bytes, tmp_path: Path) -> str:
    """pdftotext's output with its line breaks kept."""
    path = tmp_path / "raw.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


@needs_pdftotext
def test_monthly_fee_of_comfort_for_a_country_house_stays_on_one_line(tmp_path: Path) -> None:
    doc = dataclasses.replace(
        make_contract(), tariff_name="Комфорт для загородного дома", monthly_fee=Decimal("1990.00")
    )
    raw = _raw_text(render_contract(doc), tmp_path)
    clause = raw[raw.index("3.3.") : raw.index("3.4.")]
    assert "составляет 1\n990" not in clause
    # fpdf2 draws the no-break spaces as plain spaces: the text extracts as it reads.
    assert "\n1 990,00 руб. (Одна тысяча девятьсот девяносто рублей 00 копеек)." in clause
    assert NBSP not in raw


@needs_pdftotext
def test_no_amount_unit_or_number_sign_is_ever_split_at_a_line_end(tmp_path: Path) -> None:
    # Growing tariff names move the line end over every character of clauses 3.2 and 3.3.
    split = re.compile(r"№\n|\d\n\d|\n(руб\.|копе)")
    for extra in range(0, 46, 1):
        name = "Комфорт" + " плюс" * (extra // 5) + "ы" * (extra % 5)
        doc = dataclasses.replace(
            make_contract(devices=0), tariff_name=name, monthly_fee=Decimal("1990.00")
        )
        raw = _raw_text(render_contract(doc), tmp_path)
        price = raw[raw.index("3.2.") : raw.index("3.4.")]
        assert "1 990,00 руб." in price, name
        assert "3 400,49 руб." in price, name
        assert not split.search(price), (name, price)


# --- every text a validator accepts prints, and reads back ---------------------------------

_TYPED = st.sampled_from(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "abcxyzABCXYZ0123456789 .,-–—/№«»\"'()[]{}<>*_#%&@!?:;\\+=^~`|$€₽§°"
)
_VISIBLE_GLYPHS = sorted(
    ch for ch in glyphs.printable_chars() if unicodedata.category(ch)[0] not in "CZ" or ch == " "
)
#: Mostly text of what masters type and what the fonts have; now and then any characters at
#: all (a text with a character the fonts lack is refused by the validator, so mixing those
#: into every text would leave few examples that reach the PDF).
_PLAUSIBLE = st.text(
    st.one_of(_TYPED, _TYPED, st.sampled_from(_VISIBLE_GLYPHS)), min_size=1, max_size=60
)
_FREE_TEXT = st.one_of(
    _PLAUSIBLE,
    _PLAUSIBLE,
    _PLAUSIBLE,
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12),
)


def _accepted(raw: str, field: str) -> str:
    """What the validator of `field` stores for `raw`; the example is dropped if refused."""
    try:
        if field == "address":
            return normalize_address(raw)
        return clean_text(raw, field="full_name", label="ФИО", max_length=200)
    except ValidationError:
        hypothesis.reject()


@needs_pdftotext
@hypothesis.settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(raw=_FREE_TEXT, field=st.sampled_from(["address", "full_name"]))
def test_every_text_a_validator_accepts_prints_and_reads_back(
    raw: str, field: str, tmp_path: Path
) -> None:
    text = _accepted(raw, field)
    doc = make_contract(devices=1)
    if field == "address":
        assert doc.client.passport is not None
        passport = dataclasses.replace(doc.client.passport, registration_address=text)
        client = dataclasses.replace(doc.client, address=text, passport=passport)
    else:
        client = dataclasses.replace(doc.client, full_name=text)
    pdf = render_contract(dataclasses.replace(doc, client=client))
    # Lines wrap anywhere in a long word, so whitespace is compared away entirely.
    assert "".join(text.split()) in "".join(text_of(pdf, tmp_path).split())
