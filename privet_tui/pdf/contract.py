"""The service contract: the draft the client reads before signing, and the signed copy
that adds a framed block with the evidence of the simple electronic signature."""

from __future__ import annotations

from fpdf.enums import Align

from privet_tui.pdf.documents import (
    ClientData,
    CompanyRequisites,
    ContractDocument,
    SignatureEvidence,
)
from privet_tui.pdf.layout import (
    BODY_SIZE,
    INK,
    MUTED,
    SMALL_SIZE,
    DocumentPDF,
    format_date,
    format_date_long,
    format_datetime,
    format_money,
    format_rubles,
    nobreak,
    one_at_a_time,
    one_line,
)
from privet_tui.pdf.words import amount_in_words, plural

__all__ = ["contract_title", "render_contract"]

SIGNATURE_COLOR = (20, 90, 160)
_APP_NAME = "«Привет Супер»"


def contract_title(number: str) -> str:
    """Return the contract's title line, as printed and as used for the PDF's metadata."""
    return f"Договор на сервисное обслуживание {nobreak('№', number)}"


@one_at_a_time
def render_contract(doc: ContractDocument, signature: SignatureEvidence | None = None) -> bytes:
    """Render the contract as PDF bytes: the draft when `signature` is None (byte-for-byte
    reproducible, so its sha256 identifies it), else the signed copy with the signature block."""
    pdf = DocumentPDF(
        title=contract_title(doc.number),
        author=doc.company.name,
        created_at=doc.created_at if signature is None else signature.signed_at,
        footer_note=f"Договор {nobreak('№', doc.number)}",
    )
    _letterhead(pdf, doc.company)
    _title(pdf, doc)
    _preamble(pdf, doc)
    _subject(pdf, doc)
    _devices(pdf, doc)
    _price(pdf, doc)
    _signature_terms(pdf, doc)
    _final_terms(pdf)
    _requisites(pdf, doc)
    if signature is not None:
        _signature_block(pdf, doc, signature)
    return pdf.to_bytes()


def _letterhead(pdf: DocumentPDF, company: CompanyRequisites) -> None:
    """Print the company's name and requisites above a rule."""
    pdf.paragraph(company.name, size=BODY_SIZE + 3, style="B", align=Align.L, after=0.5)
    pdf.set_text_color(*MUTED)
    pdf.paragraph(
        f"{nobreak('ИНН', company.inn)}, {nobreak('КПП', company.kpp)}, "
        f"{nobreak('ОГРН', company.ogrn)}. {company.address}. "
        f"Тел.: {one_line(company.phone)}, эл. почта: {company.email}",
        size=SMALL_SIZE,
        align=Align.L,
        after=0,
    )
    pdf.set_text_color(*INK)
    pdf.rule(3)


def _title(pdf: DocumentPDF, doc: ContractDocument) -> None:
    """Print the centred title, then the city on the left and the date on the right."""
    pdf.ln(2)
    pdf.paragraph(contract_title(doc.number), size=BODY_SIZE + 4, style="B", align=Align.C)
    pdf.ln(1)
    pdf.use_font()
    half = pdf.epw / 2
    pdf.cell(half, 5, nobreak("г.", doc.city), align=Align.L)
    pdf.cell(half, 5, format_date_long(doc.created_at.date()), align=Align.R)
    pdf.ln(8)


def _passport_text(client: ClientData) -> str:
    """Describe the client's passport in one sentence, or say it was not provided."""
    p = client.passport
    if p is None:
        return "паспортные данные не указаны"
    return (
        f"паспорт гражданина Российской Федерации {nobreak('серия', one_line(p.series))} "
        f"{nobreak('№', p.number)}, выдан {p.issued_by} {format_date(p.issue_date)}, "
        f"код подразделения {p.department_code}"
    )


def _preamble(pdf: DocumentPDF, doc: ContractDocument) -> None:
    """Name the parties."""
    pdf.paragraph(
        f"{doc.company.name} (далее — «Исполнитель»), от имени которого действует мастер "
        f"{doc.master_name}, с одной стороны, и {doc.client.full_name}, "
        f"{_passport_text(doc.client)} (далее — «Заказчик»), с другой стороны, вместе "
        f"именуемые «Стороны», заключили настоящий договор о нижеследующем."
    )


def _subject(pdf: DocumentPDF, doc: ContractDocument) -> None:
    """State what the contract is about."""
    pdf.heading("1. Предмет договора")
    pdf.paragraph(
        "1.1. Исполнитель обязуется оказывать Заказчику услуги по сервисному обслуживанию "
        f"устройств Заказчика, перечисленных в {nobreak('разделе', '2')} (далее — «Устройства»), "
        "по тарифу "
        f"«{doc.tariff_name}», а Заказчик обязуется принимать и оплачивать эти услуги."
    )
    pdf.paragraph(f"1.2. Адрес оказания услуг: {doc.client.address}.")


def _devices(pdf: DocumentPDF, doc: ContractDocument) -> None:
    """List the devices under service, or say that there are none."""
    pdf.heading("2. Устройства")
    if not doc.devices:
        pdf.paragraph("2.1. Устройства в договор не включены.")
        return
    pdf.paragraph("2.1. Обслуживанию по настоящему договору подлежат следующие Устройства:")
    rows = [
        (str(i), d.category_label, d.brand, d.model, d.serial or "—")
        for i, d in enumerate(doc.devices, start=1)
    ]
    pdf.data_table(
        ("№", "Категория", "Бренд", "Модель", "Серийный номер"),
        rows,
        col_widths=(8, 44, 30, 48, 45),
        aligns=(Align.C, Align.L, Align.L, Align.L, Align.L),
    )


def _price(pdf: DocumentPDF, doc: ContractDocument) -> None:
    """Print the tariff breakdown with the total in figures and words, and the monthly fee."""
    pdf.heading("3. Стоимость услуг и порядок оплаты")
    pdf.paragraph(f"3.1. Стоимость подключения к обслуживанию по тарифу «{doc.tariff_name}»:")
    rows = [
        (str(i), c.label, str(c.quantity), format_money(c.unit_price), format_money(c.amount))
        for i, c in enumerate(doc.charges, start=1)
    ]
    pdf.data_table(
        ("№", "Услуга", "Кол-во", "Цена, руб.", "Сумма, руб."),
        rows,
        col_widths=(8, 87, 20, 30, 30),
        aligns=(Align.C, Align.L, Align.C, Align.R, Align.R),
        total=("Итого к оплате:", format_money(doc.total_due)),
    )
    pdf.paragraph(
        f"3.2. Сумма к оплате при заключении договора: {format_rubles(doc.total_due)} "
        f"({amount_in_words(doc.total_due)})."
    )
    pdf.paragraph(
        f"3.3. Ежемесячная абонентская плата по тарифу «{doc.tariff_name}» составляет "
        f"{format_rubles(doc.monthly_fee)} ({amount_in_words(doc.monthly_fee)})."
    )
    pdf.paragraph(
        "3.4. Оплата производится наличными денежными средствами, банковской картой или "
        "переводом на расчётный счёт Исполнителя по реквизитам, указанным в "
        f"{nobreak('разделе', '6')}."
    )


def _signature_terms(pdf: DocumentPDF, doc: ContractDocument) -> None:
    """State the simple-electronic-signature terms of 63-FZ art. 9."""
    minutes = doc.otp_valid_minutes
    validity = nobreak(str(minutes), plural(minutes, "минуты", "минут", "минут"))
    pdf.heading("4. Подписание договора простой электронной подписью")
    for clause in (
        "4.1. Стороны договорились, что Заказчик подписывает настоящий договор простой "
        f"электронной подписью в соответствии со {nobreak('статьёй', '9')} Федерального "
        f"закона {nobreak('от', '06.04.2011')} {nobreak('№', '63-ФЗ')} «Об электронной подписи».",
        "4.2. Ключом простой электронной подписи является одноразовый код, который "
        f"направляется Заказчику в чат поддержки приложения {_APP_NAME}. Заказчик обязуется "
        "сохранять код в тайне и не передавать его третьим лицам.",
        "4.3. Сообщение Заказчиком кода мастеру Исполнителя (ввод кода) в пределах срока "
        f"действия кода, то есть в течение {validity} с момента его отправки, является "
        "подписанием Заказчиком настоящего договора.",
        "4.4. Договор, подписанный простой электронной подписью, признаётся электронным "
        "документом, равнозначным документу на бумажном носителе, подписанному "
        "собственноручной подписью Заказчика.",
        "4.5. Для проверки подписи Исполнитель хранит контрольную сумму SHA-256 проекта "
        "договора, время отправки и ввода кода и идентификатор сообщения с кодом.",
    ):
        pdf.paragraph(clause)


def _final_terms(pdf: DocumentPDF) -> None:
    """State when the contract takes effect and how personal data is handled."""
    pdf.heading("5. Заключительные положения")
    pdf.paragraph(
        "5.1. Договор вступает в силу с момента его подписания Заказчиком в порядке, "
        f"установленном {nobreak('разделом', '4')}."
    )
    pdf.paragraph(
        "5.2. Заказчик даёт согласие на обработку своих персональных данных, указанных в "
        "договоре, в целях его исполнения в соответствии с Федеральным законом "
        f"{nobreak('от', '27.07.2006')} {nobreak('№', '152-ФЗ')} «О персональных данных»."
    )


def _requisites(pdf: DocumentPDF, doc: ContractDocument) -> None:
    """Print both parties' requisites side by side, then their signature lines."""
    pdf.heading("6. Реквизиты и подписи Сторон")
    c = doc.company
    company_text = "\n".join(
        (
            c.name,
            f"{nobreak('ИНН', c.inn)}, {nobreak('КПП', c.kpp)}",
            nobreak("ОГРН", c.ogrn),
            f"Адрес: {c.address}",
            f"Банк: {c.bank}",
            nobreak("БИК", c.bik),
            nobreak("р/с", c.account),
            nobreak("к/с", c.corr_account),
            f"Тел.: {one_line(c.phone)}",
            f"Эл. почта: {c.email}",
        )
    )
    client = doc.client
    lines = [client.full_name]
    if client.passport is not None:
        p = client.passport
        lines += [
            f"Паспорт: {one_line(p.series)} {nobreak('№', p.number)}",
            f"Выдан: {p.issued_by}, {format_date(p.issue_date)}",
            f"Код подразделения: {p.department_code}",
            f"Дата рождения: {format_date(p.birth_date)}",
            f"Место рождения: {p.birth_place}",
            f"Адрес регистрации: {p.registration_address}",
        ]
    lines += [f"Тел.: {one_line(client.phone)}", f"Эл. почта: {client.email}"]
    pdf.columns(("Исполнитель", "Заказчик"), (company_text, "\n".join(lines)))
    pdf.ln(4)
    if pdf.will_page_break(14):
        pdf.add_page()
    half = pdf.epw / 2
    pdf.use_font()
    pdf.cell(half, 5, "От Исполнителя: ________________", align=Align.L)
    pdf.cell(half, 5, "Заказчик: простая электронная подпись", align=Align.L)
    pdf.ln(5)
    pdf.use_font(SMALL_SIZE)
    pdf.set_text_color(*MUTED)
    pdf.cell(half, 4, f"мастер {doc.master_name}", align=Align.L)
    pdf.cell(half, 4, f"({nobreak('раздел', '4')} настоящего договора)", align=Align.L)
    pdf.set_text_color(*INK)
    pdf.ln(6)
    pdf.use_font()


def _signature_block(pdf: DocumentPDF, doc: ContractDocument, sig: SignatureEvidence) -> None:
    """Print the framed evidence that the client signed with the one-time code."""
    pdf.framed(
        "Документ подписан простой электронной подписью",
        (
            f"Подписант: {doc.client.full_name}",
            f"Дата и время подписания: {format_datetime(sig.signed_at)}",
            "Ключ подписи: одноразовый код, направленный в чат поддержки приложения "
            f"{_APP_NAME} (сообщение {nobreak('№', str(sig.otp_message_id))})",
            f"SHA-256 проекта договора: {sig.document_sha256}",
            f"Подпись принята мастером: {sig.master_name}",
        ),
        color=SIGNATURE_COLOR,
    )
