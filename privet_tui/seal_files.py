"""The company seal's files: which seal signs, loading it safely, and the self-signed seal.

Which seal signs contracts and invoices (the first found wins):

1. `SEAL_CERT_FILE` + `SEAL_KEY_FILE`: a PEM certificate (the chain may follow it in the
   same file) and its unencrypted PEM private key, e.g. issued by the company's CA;
2. the self-signed seal `privet-tui seal init` made once in the data dir:
   `seal/certificate.pem` and `seal/private-key.pem` (0600, in a 0700 folder).

With neither, signing a contract or issuing an invoice is refused (`SealError`, naming the
command), and `privet-tui doctor` says so; the demo makes its self-signed seal when it seeds.
The key file is refused when others can read it, or when its group can and it is not owned
by root (the rule of config files holding a secret); either file when others can write it.
"""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from privet_tui.config import Settings
from privet_tui.pdf.seal import CompanySeal, SealError

__all__ = [
    "SealFiles",
    "create_self_signed_seal",
    "ensure_seal",
    "load_company_seal",
    "seal_files",
    "self_signed_paths",
]

#: How long a self-signed seal is valid unless `seal init --days` says otherwise.
DEFAULT_DAYS = 3650
_RSA_BITS = 3072
_HOW_TO = (
    "Администратору: выполните «privet-tui seal init» или задайте SEAL_CERT_FILE и SEAL_KEY_FILE"
)


@dataclass(frozen=True)
class SealFiles:
    """The certificate and key files of the seal in use; `configured` is False for the
    self-signed seal in the data dir."""

    certificate: Path
    key: Path
    configured: bool


def self_signed_paths(data_dir: Path) -> SealFiles:
    """Where `privet-tui seal init` keeps the self-signed seal of this data dir."""
    return _files_in(data_dir / "seal", configured=False)


def _files_in(folder: Path, *, configured: bool) -> SealFiles:
    return SealFiles(folder / "certificate.pem", folder / "private-key.pem", configured)


def seal_files(settings: Settings) -> SealFiles | None:
    """The seal files the settings point at, or None when there is no seal at all.

    SealError when only one of SEAL_CERT_FILE / SEAL_KEY_FILE is set."""
    cert, key = settings.seal_cert_file, settings.seal_key_file
    if cert is not None and key is not None:
        return SealFiles(cert, key, configured=True)
    if cert is not None or key is not None:
        given, missing = ("SEAL_CERT_FILE", "SEAL_KEY_FILE")[:: 1 if cert else -1]
        raise SealError(
            f"Печать компании настроена не полностью. Администратору: задайте {missing}",
            detail=f"{given} is set but {missing} is not: set both, or neither",
        )
    own = self_signed_paths(settings.data_dir)
    if own.certificate.exists() or own.key.exists():
        return own
    return None


def load_company_seal(settings: Settings, *, at: datetime | None = None) -> CompanySeal:
    """The seal that signs this installation's documents, valid at `at` (default now).

    SealError (Russian `message` for a master, English `detail` for an operator) when there
    is none, a file is missing, unreadable or unsafe, the key is not the certificate's, or
    the certificate is not valid at `at`. Parsed once per file content (RSA key checks cost
    ~100 ms), so calling it per document is cheap."""
    files = seal_files(settings)
    if files is None:
        raise SealError(
            f"Печать компании не настроена — документ нельзя скрепить печатью. {_HOW_TO}",
            detail="no seal: run privet-tui seal init, or set SEAL_CERT_FILE and SEAL_KEY_FILE",
        )
    _refuse_unsafe(files.certificate, secret=False)
    _refuse_unsafe(files.key, secret=True)
    seal = _parse(_read(files.certificate), _read(files.key), settings.company.city)
    moment = at or datetime.now(UTC)
    if moment >= seal.not_after:
        raise SealError(
            f"Срок действия сертификата печати истёк {seal.not_after:%d.%m.%Y}. {_HOW_TO}",
            detail=(
                f"the seal certificate {files.certificate} expired on {seal.not_after:%Y-%m-%d}: "
                "install a new one (a self-signed seal: privet-tui seal init --force)"
            ),
        )
    if moment < seal.not_before:
        raise SealError(
            f"Сертификат печати действует только с {seal.not_before:%d.%m.%Y}. {_HOW_TO}",
            detail=f"the seal certificate {files.certificate} is valid only from "
            f"{seal.not_before:%Y-%m-%d %H:%M} UTC",
        )
    return seal


@functools.lru_cache(maxsize=4)
def _parse(cert_pem: bytes, key_pem: bytes, location: str) -> CompanySeal:
    return CompanySeal.from_pem(cert_pem, key_pem, location=location)


def _file_error(path: Path, exc: OSError, *, doing: str) -> SealError:
    """A seal file that is missing (tell how to make one) or that cannot be `doing`."""
    if isinstance(exc, FileNotFoundError):
        return SealError(
            f"Файл печати {path} не найден. {_HOW_TO}",
            detail=f"seal file {path} does not exist",
        )
    return SealError(
        f"Файл печати {path} недоступен — сообщите администратору",
        detail=f"cannot {doing} seal file {path}: {exc.strerror or exc}",
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _file_error(path, exc, doing="read") from None


def _refuse_unsafe(path: Path, *, secret: bool) -> None:
    """The config-file rule applied to the seal: no file others may write, no key others
    (or a non-root owner's group) may read."""
    try:
        info = path.stat()
    except OSError as exc:
        raise _file_error(path, exc, doing="stat") from None
    if info.st_mode & stat.S_IWOTH:
        raise SealError(
            f"Файл печати {path} могут изменить другие пользователи — печать отключена. "
            f"Администратору: chmod o-w {path}",
            detail=f"seal file {path} is writable by others; run: chmod o-w {path}",
        )
    if not secret:
        return
    if info.st_mode & stat.S_IROTH or (info.st_mode & stat.S_IRGRP and info.st_uid != 0):
        who = "others" if info.st_mode & stat.S_IROTH else "its group"
        raise SealError(
            f"Ключ печати {path} могут прочитать другие пользователи — печать отключена. "
            f"Администратору: chmod 600 {path}",
            detail=f"seal key {path} is readable by {who}; run: chmod 600 {path}"
            + (" (or chmod 640 with a dedicated group)" if info.st_uid == 0 else ""),
        )


def create_self_signed_seal(
    settings: Settings,
    *,
    force: bool = False,
    days: int = DEFAULT_DAYS,
    folder: Path | None = None,
) -> SealFiles:
    """Make a self-signed seal: an RSA-3072 key (0600) and a certificate naming
    `settings.company`, valid for `days` days from now, in the data dir — or in `folder`,
    for a shared workstation to name as SEAL_CERT_FILE/SEAL_KEY_FILE.

    SealError when, for the data dir, SEAL_CERT_FILE/SEAL_KEY_FILE are configured (they
    would win anyway), or a seal is already there and `force` is not given."""
    if folder is not None:
        files = _files_in(folder, configured=True)
    elif settings.seal_cert_file is not None or settings.seal_key_file is not None:
        raise SealError(
            "Печать компании задана в настройках (SEAL_CERT_FILE, SEAL_KEY_FILE)",
            detail="SEAL_CERT_FILE/SEAL_KEY_FILE are configured and would be used instead; "
            "unset them to use a self-signed seal",
        )
    else:
        files = self_signed_paths(settings.data_dir)
    if not force and (files.certificate.exists() or files.key.exists()):
        raise SealError(
            "Печать компании уже создана",
            detail=f"a seal already exists in {files.certificate.parent}; "
            "--force replaces it (documents sealed before stay verifiable by their own "
            "certificate, but no longer match this installation's seal)",
        )
    cert_pem, key_pem = _self_signed(settings, days)
    folder = files.certificate.parent
    if not folder.exists():  # a folder of our own is private; an existing one keeps its mode
        folder.mkdir(parents=True)
        folder.chmod(0o700)
    _write_atomically(files.key, key_pem, 0o600)
    _write_atomically(files.certificate, cert_pem, 0o644)
    return files


def ensure_seal(settings: Settings) -> SealFiles:
    """The seal files in use, making the self-signed seal first when there is none (what the
    demo does when it seeds, so its documents are sealed like production ones)."""
    return seal_files(settings) or create_self_signed_seal(settings)


def _self_signed(settings: Settings, days: int) -> tuple[bytes, bytes]:
    """A fresh key and a self-signed certificate for document signing, both PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    if days <= 0:
        raise SealError(
            "Срок действия печати должен быть положительным", detail="--days must be positive"
        )
    company = settings.company
    key = rsa.generate_private_key(public_exponent=65537, key_size=_RSA_BITS)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, company.city),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, company.name),
            x509.NameAttribute(NameOID.COMMON_NAME, company.name),
        ]
    )
    now = datetime.now(UTC).replace(microsecond=0)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))  # a workstation clock a little behind
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    """Write `path` through a temporary file created with `mode`, so the key is never
    readable by others, not even for a moment, and a crash leaves no half file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(tmp, mode)  # the umask may have taken bits the file should have
    os.replace(tmp, path)
