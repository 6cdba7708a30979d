"""The company seal on a PDF: a PAdES signature (pyHanko) over the whole file, and its check.

A pure tool over bytes, like the renderers: `CompanySeal.from_pem(cert_pem, key_pem)` holds
a certificate (with any chain after it) and its private key, refusing a key that does not
belong to the certificate; `seal_pdf(data, seal, reason=…)` returns the document with one
incremental update carrying an ETSI.CAdES.detached signature (SHA-256) whose byte range is
the whole file, so any changed byte breaks it — Poppler's `pdfsig` and `verify_pdf` both say
so; `verify_pdf(data)` says whether a PDF is sealed, intact and by whom.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from asn1crypto import keys, x509  # type: ignore[import-untyped]
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from privet_tui.errors import PrivetError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes as PrivateKey
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

__all__ = ["CompanySeal", "SealCheck", "SealError", "seal_pdf", "verify_pdf"]

#: The signature field every sealed document carries.
SEAL_FIELD = "CompanySeal"
_DIGEST = "sha256"


class SealError(PrivetError):
    """The seal cannot be used: `message` tells a master (Russian), `detail` an operator."""

    title = "Печать компании"

    def __init__(self, message: str, *, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


@dataclass(frozen=True)
class CompanySeal:
    """A certificate (first of `chain`) and its private key, checked to belong together."""

    chain: tuple[x509.Certificate, ...]
    #: The private key: never in a repr, so never in a log line or an error report.
    key: keys.PrivateKeyInfo = field(repr=False)
    #: The key parsed once by `cryptography` (its checks of an RSA key take ~100 ms).
    private: PrivateKey = field(repr=False, compare=False)
    #: Where the company seals its documents (the /Location of the signature).
    location: str | None = None

    @classmethod
    def from_pem(
        cls, cert_pem: bytes, key_pem: bytes, *, location: str | None = None
    ) -> CompanySeal:
        """Parse a PEM (or DER) certificate file and an unencrypted private key; SealError
        when either does not parse, the key is encrypted or is not the certificate's."""
        from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data

        try:
            chain = tuple(load_certs_from_pemder_data(cert_pem))
        except Exception as exc:  # asn1crypto/PEM raise a mix of ValueError, TypeError, …
            raise SealError(
                "Сертификат печати не читается — сообщите администратору",
                detail=f"the seal certificate is not a PEM/DER X.509 certificate ({exc})",
            ) from None
        if not chain:
            raise SealError(
                "Сертификат печати пуст — сообщите администратору",
                detail="the seal certificate file holds no certificate",
            )
        try:
            key = load_private_key_from_pemder_data(key_pem, passphrase=None)
        except Exception as exc:
            raise SealError(
                "Ключ печати не читается — сообщите администратору",
                detail=f"the seal key is not an unencrypted PEM/DER private key ({exc})",
            ) from None
        try:
            private = serialization.load_der_private_key(key.dump(), password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise SealError(
                "Ключ печати не читается — сообщите администратору",
                detail=f"the seal key cannot be used ({exc})",
            ) from None
        if not _same_public_key(chain[0], private):
            raise SealError(
                "Ключ печати не подходит к её сертификату — сообщите администратору",
                detail="the seal key does not belong to the seal certificate",
            )
        return cls(chain, key, private, location)

    @property
    def certificate(self) -> x509.Certificate:
        """The signing certificate (the first of the chain)."""
        return self.chain[0]

    @property
    def subject(self) -> str:
        """Who seals, as people read it: the certificate's common name (or whole subject)."""
        return _subject_name(self.certificate)

    @property
    def not_after(self) -> datetime:
        """The end of the certificate's validity (UTC)."""
        value: datetime = self.certificate.not_valid_after
        return value.astimezone(UTC)

    @property
    def not_before(self) -> datetime:
        """The start of the certificate's validity (UTC)."""
        value: datetime = self.certificate.not_valid_before
        return value.astimezone(UTC)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate (hex), what `verify_pdf` reports of a signer."""
        return hashlib.sha256(self.certificate.dump()).hexdigest()


@functools.cache
def _signer_class() -> type[Any]:
    """The signer class, built on first use: pyHanko takes ~0.5 s to import, which a CLI
    command or the TUI's start should not pay unless it seals or verifies."""
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class _LoadedKeySigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner re-parses the key for every signature, which for RSA costs
        ~100 ms of key checks; this one signs with the key the seal parsed once."""

        def __init__(self, seal: CompanySeal) -> None:
            super().__init__(
                signing_cert=seal.certificate,
                signing_key=seal.key,
                cert_registry=SimpleCertificateStore.from_certs(seal.chain),  # type: ignore[no-untyped-call]
            )
            self._loaded = seal.private

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            digest = _HASHES.get(digest_algorithm)
            if digest is not None and mechanism == "rsassa_pkcs1v15":
                assert isinstance(self._loaded, rsa.RSAPrivateKey)
                return self._loaded.sign(data, padding.PKCS1v15(), digest)
            if digest is not None and mechanism == "ecdsa":
                assert isinstance(self._loaded, ec.EllipticCurvePrivateKey)
                return self._loaded.sign(data, ec.ECDSA(digest))
            return super().sign_raw(data, digest_algorithm)  # other key types: pyHanko's own path

    return _LoadedKeySigner


_HASHES: dict[str, hashes.HashAlgorithm] = {"sha256": hashes.SHA256()}


def warm_up() -> None:
    """Import the signing code now (≈0.7 s cold), so a signature waiting on it later does not."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: F401
    from pyhanko.sign import fields, signers  # noqa: F401


def seal_pdf(data: bytes, seal: CompanySeal, *, reason: str) -> bytes:
    """Return `data` (a PDF) sealed: an incremental update with a PAdES signature over the
    whole file, `reason` (e.g. «Договор № ПМ-2026-000001») and the company as the signer.
    Adds ~35 ms to a contract with an RSA-3072 key. SealError if `data` is no PDF."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except Exception as exc:
        raise SealError(
            "Документ не удалось скрепить печатью: это не PDF",
            detail=f"not a PDF ({exc.__class__.__name__})",
        ) from None
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm=_DIGEST,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=seal.location,
        name=seal.subject,
    )
    output = signers.PdfSigner(meta, _signer_class()(seal)).sign_pdf(writer)
    sealed: bytes = output.getvalue()
    return sealed


@dataclass(frozen=True)
class SealCheck:
    """What `verify_pdf` found. `intact` is the verdict: a signature whose content digest and
    cryptographic signature both hold and whose byte range is the whole file."""

    intact: bool
    #: Why not intact, in English (None when intact).
    problem: str | None = None
    signer: str | None = None
    #: SHA-256 (hex) of the signer's certificate.
    fingerprint: str | None = None
    signed_at: datetime | None = None
    reason: str | None = None
    #: True when the signer's certificate is one of the `known` ones given to `verify_pdf`.
    known_signer: bool = False


def verify_pdf(data: bytes, *, known: Iterable[str] = ()) -> SealCheck:
    """Check every signature in `data`: all must hold and the last must cover every byte
    (nothing appended, nothing changed). `known` holds certificate fingerprints (SHA-256 hex)
    to recognise, e.g. this installation's seal. Never raises on bad input: a file that is
    not a PDF, or a damaged one, is simply not intact."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data.lstrip()[:5].startswith(b"%PDF-"):
        return SealCheck(False, "not a PDF file")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # a damaged file can fail anywhere in the parser
        return SealCheck(False, f"unreadable PDF ({exc.__class__.__name__})")
    if not embedded:
        return SealCheck(False, "the PDF carries no signature")
    checks = [_check_one(sig, set(known)) for sig in embedded]
    broken = next((c for c in checks if not c.intact), None)
    return broken or checks[-1]


def _check_one(sig: EmbeddedPdfSignature, known: set[str]) -> SealCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        cert = sig.signer_cert
        fingerprint = hashlib.sha256(cert.dump()).hexdigest()
        signer = _subject_name(cert)
    except Exception as exc:
        return SealCheck(False, f"the signature cannot be read ({exc.__class__.__name__})")
    # The signer's own certificate as the trust anchor: trust is not what this checks (the
    # caller compares fingerprints), and an anchor keeps pyHanko from logging a failed path.
    context = ValidationContext(trust_roots=[cert], allow_fetching=False)
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context)
    except Exception as exc:
        return SealCheck(False, f"the signature cannot be checked ({exc.__class__.__name__})")
    reported = status.signer_reported_dt
    found = SealCheck(
        True,
        None,
        signer=signer,
        fingerprint=fingerprint,
        signed_at=reported.astimezone(UTC) if reported else None,
        reason=_text(sig.sig_object.get("/Reason")),
        known_signer=fingerprint in known,
    )
    if not status.intact:
        return replace(found, intact=False, problem="the document was changed after it was sealed")
    if not status.valid:
        return replace(found, intact=False, problem="the signature does not match the signer's key")
    if _padding_changed(sig.pkcs7_content) or _certificates_changed(sig):
        return replace(found, intact=False, problem="the signature field was changed")
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        return replace(
            found, intact=False, problem="bytes were added to the document after it was sealed"
        )
    return found


def _padding_changed(contents: bytes) -> bool:
    """True when /Contents holds anything but the signature and zero padding. The padding is
    outside the signed byte range by design, so validators (pdfsig too) ignore it; checking
    it here makes every changed byte of a sealed file count, not only the signed ones."""
    from asn1crypto import cms

    try:
        length = len(cms.ContentInfo.load(contents, strict=False).dump())
    except ValueError:
        return True
    return contents[length:].strip(b"\x00") != b""


def _certificates_changed(sig: EmbeddedPdfSignature) -> bool:
    """True when a certificate carried in the signature is not as signed or issued: the
    signer's must match the hash in its signed attributes (ESS signing-certificate-v2), and
    every certificate whose issuer is also carried must verify under that issuer's key.
    Like the padding, these bytes lie outside the signed range."""
    from cryptography import x509 as pyca
    from pyhanko.sign.general import check_ess_certid, find_unique_cms_attribute

    try:
        ess = find_unique_cms_attribute(sig.signer_info["signed_attrs"], "signing_certificate_v2")
        if not check_ess_certid(sig.signer_cert, ess["certs"][0]):
            return True
        carried = [
            pyca.load_der_x509_certificate(choice.chosen.dump())
            for choice in sig.signed_data["certificates"]
        ]
        for cert in carried:
            for issuer in (c for c in carried if c.subject == cert.issuer):
                cert.verify_directly_issued_by(issuer)
    except Exception:  # a missing attribute, a bad encoding, InvalidSignature: all "changed"
        return True
    return False


def _same_public_key(cert: x509.Certificate, private: PrivateKey) -> bool:
    """True when `private` is the private half of `cert`'s public key."""
    mine = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return bool(mine == cert.public_key.dump())


def _subject_name(cert: x509.Certificate) -> str:
    native = cert.subject.native
    common = native.get("common_name")
    return str(common) if common else cert.subject.human_friendly


def _text(value: object) -> str | None:
    return str(value) if value is not None else None
