"""The contract PDF's render time, warm and cold, against issue 14's target (≤ 60 ms warm);
the company seal (pyHanko) timed apart. Printed, not asserted.

Warm: one process renders a series of *different* contracts (names, addresses, passports
and device lists vary, as they do from client to client), drafts and signed copies, after
`faces.warm_up()`. Cold: a fresh interpreter imports the renderer and renders one contract,
with and without the warm-up the contract screen runs while the master reads it. Wall time
and this process's CPU time are both shown: on a shared machine the CPU figure is the one
other processes disturb least.

    .venv/bin/python benchmarks/bench_pdf.py [--documents 40]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from privet_tui.pdf import faces
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
from privet_tui.pdf.invoice import render_invoice

MSK = timezone(timedelta(hours=3))
TARGET_MS = 60.0
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
NAMES = (
    "Константинопольская-Шереметьева Александра Вячеславовна",
    "Иванов Пётр Сергеевич",
    "Ли Ян",
    "Щукина Юлия Эдуардовна",
    "Żółkiewski Jan (гражданин Польши)",
    "Хабибуллин Рустам Ильдарович",
)
STREETS = ("ул. Полярная", "Олимпийский проспект", "ул. Ёлочная", "пр-т Мира", "ш. Энтузиастов")
DEVICES = ("Холодильник", "Стиральная машина", "Посудомоечная машина", "Телевизор", "Котёл")


def contract(n: int) -> ContractDocument:
    """The n-th of a series of different contracts."""
    street = STREETS[n % len(STREETS)]
    passport = PassportDetails(
        series=f"{45 + n % 30} {10 + n % 80}",
        number=f"{345678 + n * 7919 % 600000}",
        issued_by=f"Отделом УФМС России по гор. Москве по району {street[4:]}",
        issue_date=date(2010 + n % 12, 1 + n % 12, 1 + n % 28),
        department_code=f"770-{n % 1000:03d}",
        birth_date=date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
        birth_place="гор. Ленинград" if n % 2 else "с. Верхние Мандроги Ленинградской обл.",
        registration_address=f"127282, г. Москва, {street}, д. {n + 1}, кв. {n * 3 + 1}",
    )
    client = ClientData(
        full_name=NAMES[n % len(NAMES)],
        phone=f"+7916{1234567 + n:07d}",
        email=f"client{n}@example.ru",
        address=f"141006, Московская обл., г. Мытищи, {street}, д. {n + 2}, кв. {n + 10}",
        passport=passport,
    )
    extra = n % 3 + 1
    charges = (
        ChargeLine("Подключение к тарифу «Комфорт»", 1, Decimal("1500.00"), Decimal("1500.00")),
        ChargeLine(
            "Доплата за устройства сверх тарифа",
            extra,
            Decimal("450.25"),
            Decimal("450.25") * extra,
        ),
    )
    return ContractDocument(
        number=f"ПМ-2026-{n + 1:06d}",
        created_at=datetime(2026, 11, 28, 13, 47, tzinfo=MSK) + timedelta(minutes=n),
        city="Москва",
        company=COMPANY,
        client=client,
        master_name="Иванов Пётр Сергеевич",
        tariff_name="Комфорт",
        monthly_fee=Decimal("799.00"),
        devices=tuple(
            DeviceLine(DEVICES[(n + i) % 5], "Samsung", f"RB-37J{n}00SA/WT {i}", f"SN{n}{i:03d}")
            for i in range(1 + n % 5)
        ),
        charges=charges,
        total_due=sum((c.amount for c in charges), Decimal(0)),
    )


def signature(n: int) -> SignatureEvidence:
    moment = datetime(2026, 11, 28, 14, 3, 27, tzinfo=MSK) + timedelta(minutes=n)
    return SignatureEvidence(moment, f"{n:064x}", 98765 + n, "Иванов Пётр Сергеевич", None)


def invoice(n: int) -> InvoiceDocument:
    doc = contract(n)
    return InvoiceDocument(
        number=f"СЧ-2026-{n + 1:06d}",
        issued_at=doc.created_at + timedelta(hours=1),
        due_date=doc.created_at.date() + timedelta(days=7),
        company=COMPANY,
        client_name=doc.client.full_name,
        client_address=doc.client.address,
        contract_number=doc.number,
        contract_date=doc.created_at.date(),
        lines=doc.charges,
        total=doc.total_due,
        paid=n % 2 == 1,
    )


def timed(render: Callable[[int], bytes], count: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of `render(n)` for n in range(count)."""
    wall, cpu = [], []
    for n in range(count):
        w0, c0 = time.perf_counter(), time.process_time()
        render(n)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def line(name: str, wall: list[float], cpu: list[float], target: str = "") -> None:
    def ms(values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return (
            f"min {ordered[0] * 1000:5.1f}, median {statistics.median(values) * 1000:6.1f}, "
            f"p95 {p95 * 1000:6.1f}"
        )

    print(f"  {name:<28} wall {ms(wall)} | CPU {ms(cpu)} ms  {target}")


CHILD = """
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, {here!r})
from bench_pdf import contract
from privet_tui.pdf import faces
from privet_tui.pdf.contract import render_contract
t1 = time.perf_counter()
if {warm}:
    faces.warm_up()
t2 = time.perf_counter()
render_contract(contract(0))
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def cold(warm: bool, runs: int) -> list[tuple[float, float, float]]:
    """(import, warm-up, first render) seconds in fresh interpreters."""
    here = str(Path(__file__).parent)
    found = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", CHILD.format(here=here, warm=warm)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        imported, warmed, rendered = (float(x) for x in out.split())
        found.append((imported, warmed, rendered))
    return found


def seal_figures(count: int) -> None:
    """The company seal over a contract (RSA-3072 self-signed), apart from the render."""
    from privet_tui.config import Settings
    from privet_tui.pdf.seal import CompanySeal, seal_pdf, warm_up
    from privet_tui.seal_files import create_self_signed_seal

    with tempfile.TemporaryDirectory() as folder:
        files = create_self_signed_seal(Settings(data_dir=Path(folder)))
        seal = CompanySeal.from_pem(files.certificate.read_bytes(), files.key.read_bytes())
    warm_up()
    drafts = [render_contract(contract(n)) for n in range(count)]
    seal_pdf(drafts[0], seal, reason="warm")
    wall, cpu = timed(lambda n: seal_pdf(drafts[n], seal, reason=f"Договор {n}"), count)
    line("seal (pyHanko, apart from the render)", wall, cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument(
        "--plain-fpdf2",
        action="store_true",
        help="measure as before issue 14: fpdf2's own widths and subsetting from the whole font",
    )
    args = parser.parse_args()
    count = args.documents
    if args.plain_fpdf2:
        from fpdf import FPDF

        from privet_tui.pdf import layout

        layout.DocumentPDF._parse_chars = FPDF._parse_chars  # type: ignore[method-assign]
        faces.embed_from_stock = lambda pdf: None
        print("plain fpdf2 (no remembered widths, no stock subset); warm figures only")
        args.cold_runs = 0

    for warm in (False, True) if args.cold_runs else ():
        if not warm:
            print(f"cold, fresh interpreter (median of {args.cold_runs}):")
        runs = cold(warm, args.cold_runs)
        imported, warmed, rendered = (statistics.median(r[i] for r in runs) for i in range(3))
        label = "after faces.warm_up()" if warm else "no warm-up"
        print(
            f"  {label:<22} import {imported * 1000:5.0f} ms, warm-up {warmed * 1000:4.0f} ms, "
            f"first contract {rendered * 1000:5.0f} ms"
        )

    w0 = time.perf_counter()
    faces.warm_up()
    print(f"warm-up in this process: {(time.perf_counter() - w0) * 1000:.0f} ms")
    render_contract(contract(count))  # the interpreter's own first-call costs
    print(f"warm, {count} different documents each:")
    target = f"target ≤ {TARGET_MS:.0f} ms"
    line("contract draft", *timed(lambda n: render_contract(contract(n)), count), target)
    line(
        "contract signed copy",
        *timed(lambda n: render_contract(contract(n), signature(n)), count),
        target,
    )
    line("invoice", *timed(lambda n: render_invoice(invoice(n)), count))
    seal_figures(min(count, 20))


if __name__ == "__main__":
    main()
