"""The company seal on PDF bytes (pdf/seal.py): pdfsig and our own check accept a sealed
contract and invoice, and refuse them after any changed byte."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from test_pdf import make_contract, make_invoice

from privet_tui.config import Company, Settings
from privet_tui.pdf.contract import render_contract
from privet_tui.pdf.invoice import render_invoice
from privet_tui.pdf.seal import CompanySeal, SealError, seal_pdf, verify_pdf
from privet_tui.seal_files import create_self_signed_seal

needs_pdfsig = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing")
BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
COMPANY = Company(name="ООО «Печать и Ко»", city="Казань")


@pytest.fixture(scope="module")
def seal(tmp_path_factory: pytest.TempPathFactory) -> CompanySeal:
    data_dir = tmp_path_factory.mktemp("seal")
    files = create_self_signed_seal(Settings(data_dir=data_dir, company=COMPANY))
    return CompanySeal.from_pem(
        files.certificate.read_bytes(), files.key.read_bytes(), location=COMPANY.city
    )


@pytest.fixture(scope="module")
def sealed_contract(seal: CompanySeal) -> bytes:
    return seal_pdf(render_contract(make_contract()), seal, reason="Договор № ПМ-2026-000123")


def pdfsig(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def holds_for_pdfsig(report: str) -> bool:
    """pdfsig's verdict: the signature is valid and covers the whole file."""
    return "Signature is Valid." in report and "Total document signed" in report


def signed_ranges(data: bytes) -> tuple[range, range]:
    match = BYTE_RANGE.search(data)
    assert match is not None
    start1, len1, start2, len2 = map(int, match.groups())
    assert start1 == 0
    assert start2 + len2 == len(data)
    return range(start1, start1 + len1), range(start2, start2 + len2)


def flipped(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def test_sealed_contract_names_the_company_and_verifies(
    seal: CompanySeal, sealed_contract: bytes
) -> None:
    check = verify_pdf(sealed_contract, known=[seal.fingerprint])
    assert check.intact, check.problem
    assert check.signer == COMPANY.name
    assert check.reason == "Договор № ПМ-2026-000123"
    assert check.known_signer
    assert check.fingerprint == seal.fingerprint
    assert not verify_pdf(sealed_contract, known=["0" * 64]).known_signer


def test_sealing_appends_to_the_deterministic_render(seal: CompanySeal) -> None:
    """The seal is an incremental update: the render's bytes come first, unchanged, so the
    byte-for-byte determinism of the renderer still holds for what the client reads."""
    doc = make_invoice()
    raw = render_invoice(doc)
    sealed = seal_pdf(raw, seal, reason="Счёт № СЧ-2026-000001")
    assert sealed.startswith(raw)
    assert len(sealed) > len(raw)
    assert render_invoice(doc) == raw


@needs_pdfsig
def test_pdfsig_lists_the_seal_and_the_whole_file_signed(
    sealed_contract: bytes, seal: CompanySeal, tmp_path: Path
) -> None:
    report = pdfsig(sealed_contract, tmp_path)
    assert holds_for_pdfsig(report), report
    assert f"Signer Certificate Common Name: {COMPANY.name}" in report
    assert "ETSI.CAdES.detached" in report  # PAdES
    invoice = seal_pdf(render_invoice(make_invoice()), seal, reason="Счёт № СЧ-2026-000001")
    assert holds_for_pdfsig(pdfsig(invoice, tmp_path))


@needs_pdfsig
def test_one_flipped_byte_in_the_signed_range_breaks_it(
    sealed_contract: bytes, tmp_path: Path
) -> None:
    """Bytes spread over both signed ranges, their edges included: pdfsig and verify_pdf
    both refuse every one of the changed files."""
    first, second = signed_ranges(sealed_contract)
    positions = sorted(
        {first[0], first[-1], second[0], second[-1], len(sealed_contract) // 3}
        | set(first[:: max(1, len(first) // 12)])
        | set(second[:: max(1, len(second) // 6)])
    )
    for position in positions:
        changed = flipped(sealed_contract, position)
        assert not verify_pdf(changed).intact, position
        assert not holds_for_pdfsig(pdfsig(changed, tmp_path)), position


def test_every_changed_byte_of_the_signature_field_counts(sealed_contract: bytes) -> None:
    """/Contents lies outside the signed range (its certificates and padding are not signed
    by the signature itself); verify_pdf still refuses a change anywhere in it."""
    first, second = signed_ranges(sealed_contract)
    inside = range(first[-1] + 2, second[0] - 1)  # the hex digits between < and >
    for position in inside[:: max(1, len(inside) // 40)]:
        changed = bytearray(sealed_contract)
        changed[position] = ord("1") if changed[position] == ord("0") else ord("0")
        assert not verify_pdf(bytes(changed)).intact, position


def test_appended_bytes_break_it(sealed_contract: bytes) -> None:
    assert not verify_pdf(sealed_contract + b"\n%%EOF\n").intact
    check = verify_pdf(sealed_contract + b"% a note\n")  # still a readable PDF
    assert not check.intact
    assert check.problem is not None
    assert "added" in check.problem


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "not a PDF"),
        (b"hello, world", "not a PDF"),
        (b"%PDF-1.7\n garbage", "unreadable"),
        (render_contract(make_contract()), "no signature"),
    ],
)
def test_what_is_not_sealed_is_not_intact(data: bytes, problem: str) -> None:
    check = verify_pdf(data)
    assert not check.intact
    assert check.problem is not None
    assert problem in check.problem


def test_a_truncated_seal_is_not_intact(sealed_contract: bytes) -> None:
    assert not verify_pdf(sealed_contract[:-100]).intact


def test_the_key_must_belong_to_the_certificate(seal: CompanySeal) -> None:
    cert = seal.certificate.dump()
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(SealError, match="не подходит") as caught:
        CompanySeal.from_pem(cert, pem)
    assert "does not belong" in caught.value.detail
    encrypted = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )
    with pytest.raises(SealError, match="не читается"):
        CompanySeal.from_pem(cert, encrypted)
    with pytest.raises(SealError, match="Сертификат"):
        CompanySeal.from_pem(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", pem)


def test_the_private_key_stays_out_of_reprs(seal: CompanySeal) -> None:
    der = seal.key.dump()
    shown = repr(seal)
    assert der.hex() not in shown
    assert repr(der)[2:40] not in shown
    assert "PrivateKeyInfo" not in shown


def test_sealing_what_is_not_a_pdf_is_refused(seal: CompanySeal) -> None:
    with pytest.raises(SealError, match="не PDF"):
        seal_pdf(b"not a pdf", seal, reason="x")


def test_the_key_is_parsed_once_not_per_document(
    seal: CompanySeal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyHanko's SimpleSigner parses the key for every signature (~100 ms of RSA checks);
    sealing a document must not parse it at all."""
    parsed: list[object] = []
    real = serialization.load_der_private_key

    def counting(*args: Any, **kwargs: Any) -> Any:
        parsed.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(serialization, "load_der_private_key", counting)
    sealed = seal_pdf(render_contract(make_contract()), seal, reason="Договор № ПМ-2026-000123")
    assert parsed == []
    assert verify_pdf(sealed).intact
