"""The invoice («Счёт на оплату») in the usual Russian form: the supplier's bank
requisites on top, then payer, basis, the lines, the total in figures and words."""

from __future__ import annotations

from fpdf import FontFace
from fpdf.enums import Align, TableBordersLayout, VAlign

from privet_tui.pdf.documents import CompanyRequisites, InvoiceDocument
from privet_tui.pdf.layout import (
    BODY_SIZE,
    INK,
    LINE_HEIGHT,
    MUTED,
    SMALL_SIZE,
    DocumentPDF,
    format_date,
    format_money,
    format_rubles,
    nobreak,
    one_at_a_time,
    one_line,
)
from privet_tui.pdf.words import amount_in_words

__all__ = ["VAT_NOTE", "invoice_title", "render_invoice"]

#: How the invoice states VAT; the company works without VAT for now (not configurable yet).
VAT_NOTE = "Без НДС"

PAID_COLOR = (30, 120, 60)


def invoice_title(doc: InvoiceDocument) -> str:
    """Return the invoice's title line: «Счёт № СЧ-2026-000045 от 28.11.2026»."""
    return f"Счёт {nobreak('№', doc.number)} от {format_date(doc.issued_at.date())}"


@one_at_a_time
def render_invoice(doc: InvoiceDocument) -> bytes:
    """Render the invoice as PDF bytes, reproducible for the same input."""
    pdf = DocumentPDF(
        title=invoice_title(doc),
        author=doc.company.name,
        created_at=doc.issued_at,
        footer_note=f"Счёт {nobreak('№', doc.number)}",
    )
    _bank_details(pdf, doc.company)
    pdf.ln(4)
    pdf.paragraph(invoice_title(doc), size=BODY_SIZE + 5, style="B", align=Align.L, after=0)
    pdf.rule(3)
    _parties(pdf, doc)
    _lines(pdf, doc)
    _totals(pdf, doc)
    return pdf.to_bytes()


def _bank_details(pdf: DocumentPDF, c: CompanyRequisites) -> None:
    """Print the supplier's payment requisites as the standard bank-transfer grid."""
    pdf.use_font(BODY_SIZE - 0.5)
    small = FontFace(size_pt=SMALL_SIZE, color=MUTED)
    with pdf.table(
        align=Align.L,
        col_widths=(47, 47, 16, 65),
        width=pdf.epw,
        line_height=LINE_HEIGHT,
        padding=(0.8, 1.2),
        text_align=Align.L,
        v_align=VAlign.T,
        first_row_as_headings=False,
        borders_layout=TableBordersLayout.ALL,
    ) as table:
        row = table.row()
        row.cell(c.bank, colspan=2)
        row.cell("БИК")
        row.cell(c.bik)
        row = table.row()
        row.cell("Банк получателя", colspan=2, style=small)
        row.cell("Сч. №")
        row.cell(c.corr_account)
        row = table.row()
        row.cell(nobreak("ИНН", c.inn))
        row.cell(nobreak("КПП", c.kpp))
        row.cell("Сч. №", rowspan=3)
        row.cell(c.account, rowspan=3)
        row = table.row()
        row.cell(c.name, colspan=2)
        row = table.row()
        row.cell("Получатель", colspan=2, style=small)
    pdf.use_font()


def _label_value(pdf: DocumentPDF, label: str, value: str) -> None:
    """Print a bold label in a fixed column and its wrapped value beside it."""
    label_width = 32.0
    pdf.use_font(style="B")
    top = pdf.y
    pdf.cell(label_width, LINE_HEIGHT, label)
    pdf.use_font()
    pdf.set_xy(pdf.l_margin + label_width, top)
    pdf.multi_cell(pdf.epw - label_width, LINE_HEIGHT, value, align=Align.L)
    pdf.set_x(pdf.l_margin)
    pdf.ln(1.5)


def _parties(pdf: DocumentPDF, doc: InvoiceDocument) -> None:
    """Print the supplier, the payer and the contract the invoice is based on."""
    c = doc.company
    _label_value(
        pdf,
        "Исполнитель:",
        f"{c.name}, {nobreak('ИНН', c.inn)}, {nobreak('КПП', c.kpp)}, {c.address}, "
        f"тел.: {one_line(c.phone)}",
    )
    _label_value(pdf, "Заказчик:", f"{doc.client_name}, {doc.client_address}")
    _label_value(
        pdf,
        "Основание:",
        f"Договор на сервисное обслуживание {nobreak('№', doc.contract_number)} "
        f"от {format_date(doc.contract_date)}",
    )
    pdf.ln(1)


def _lines(pdf: DocumentPDF, doc: InvoiceDocument) -> None:
    """Print the table of what is being paid for."""
    rows = [
        (
            str(i),
            line.label,
            str(line.quantity),
            format_money(line.unit_price),
            format_money(line.amount),
        )
        for i, line in enumerate(doc.lines, start=1)
    ]
    pdf.data_table(
        ("№", "Наименование услуги", "Кол-во", "Цена, руб.", "Сумма, руб."),
        rows,
        col_widths=(8, 87, 20, 30, 30),
        aligns=(Align.C, Align.L, Align.C, Align.R, Align.R),
    )


def _totals(pdf: DocumentPDF, doc: InvoiceDocument) -> None:
    """Print the totals, the amount in words, the due date and the paid mark."""
    pdf.use_font(style="B")
    for label, value in (
        ("Итого:", format_money(doc.total)),
        (f"{VAT_NOTE}:", "—"),
        ("Всего к оплате:", format_money(doc.total)),
    ):
        pdf.cell(pdf.epw - 30, LINE_HEIGHT + 0.6, label, align=Align.R)
        pdf.cell(30, LINE_HEIGHT + 0.6, value, align=Align.R, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.paragraph(
        f"Всего наименований {len(doc.lines)}, на сумму {format_rubles(doc.total)} {VAT_NOTE}.",
        after=0.5,
    )
    pdf.paragraph(amount_in_words(doc.total), style="B")
    pdf.rule(3)
    if not doc.paid:
        pdf.paragraph(f"Оплатить до {format_date(doc.due_date)}.", style="B", after=1)
    pdf.set_text_color(*MUTED)
    pdf.paragraph(
        f"В назначении платежа укажите номер счёта ({doc.number}) и номер договора "
        f"({doc.contract_number}). Счёт сформирован в электронном виде и заверен электронной "
        "печатью компании.",
        size=SMALL_SIZE,
    )
    pdf.set_text_color(*INK)
    if doc.paid:
        pdf.framed("Оплачен", ("Оплата по счёту получена.",), color=PAID_COLOR)
