"""Plain data that contracts and invoices are rendered from; `to_dict()` gives the JSON
snapshot stored with a contract (schema 1: money as "1234.50", dates as ISO strings) and
`from_dict()` reads it back, so a stored snapshot re-renders the same document."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Self

__all__ = [
    "SCHEMA_VERSION",
    "ChargeLine",
    "ClientData",
    "CompanyRequisites",
    "ContractDocument",
    "DeviceLine",
    "InvoiceDocument",
    "PassportDetails",
    "SignatureEvidence",
]

#: Version of the dict layout produced by `to_dict()`; bump it when the layout changes.
SCHEMA_VERSION = 1

_KOPECK = Decimal("0.01")


def _check_money(name: str, value: object) -> None:
    """Refuse amounts that are not finite Decimals in whole kopecks (floats included)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise TypeError(f"{name} must be a finite Decimal, got {value!r}")
    if value != value.quantize(_KOPECK):
        raise ValueError(f"{name} must be in whole kopecks, got {value}")


def _check_aware(name: str, value: object) -> None:
    """Refuse naive datetimes, as rendering uses the zone the datetime carries."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


def _money_out(value: Decimal) -> str:
    """Write an amount as a plain string with two decimals ("1234.50")."""
    return str(value.quantize(_KOPECK))


def _money_in(value: Any) -> Decimal:
    """Read an amount written by `_money_out`, refusing anything but a decimal string."""
    if not isinstance(value, str):
        raise ValueError(f"amount must be a string, got {value!r}")
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def _check_schema(data: dict[str, Any]) -> None:
    """Refuse a snapshot written by another layout version."""
    if data.get("schema") != SCHEMA_VERSION:
        raise ValueError(f"unsupported document schema: {data.get('schema')!r}")


@dataclass(frozen=True, slots=True)
class _Plain:
    """Base of the records whose fields are all strings, serialised field by field."""

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-ready dict."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build the record from a dict written by `to_dict`."""
        return cls(**{f.name: str(data[f.name]) for f in fields(cls)})


@dataclass(frozen=True, slots=True)
class CompanyRequisites(_Plain):
    """The company's name and requisites as printed on documents (they come from config)."""

    name: str
    inn: str
    kpp: str
    ogrn: str
    address: str
    bank: str
    bik: str
    account: str
    corr_account: str
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class PassportDetails:
    """The client's passport as stated in the contract."""

    series: str
    number: str
    issued_by: str
    issue_date: date
    department_code: str
    birth_date: date
    birth_place: str
    registration_address: str

    def to_dict(self) -> dict[str, Any]:
        """Return the passport as a JSON-ready dict with ISO dates."""
        return {
            "series": self.series,
            "number": self.number,
            "issued_by": self.issued_by,
            "issue_date": self.issue_date.isoformat(),
            "department_code": self.department_code,
            "birth_date": self.birth_date.isoformat(),
            "birth_place": self.birth_place,
            "registration_address": self.registration_address,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build the passport from a dict written by `to_dict`."""
        return cls(
            series=data["series"],
            number=data["number"],
            issued_by=data["issued_by"],
            issue_date=date.fromisoformat(data["issue_date"]),
            department_code=data["department_code"],
            birth_date=date.fromisoformat(data["birth_date"]),
            birth_place=data["birth_place"],
            registration_address=data["registration_address"],
        )


@dataclass(frozen=True, slots=True)
class ClientData:
    """The client as a party to the contract; the passport may be absent on other documents."""

    full_name: str
    phone: str
    email: str
    address: str
    passport: PassportDetails | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the client as a JSON-ready dict."""
        return {
            "full_name": self.full_name,
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
            "passport": None if self.passport is None else self.passport.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build the client from a dict written by `to_dict`."""
        passport = data.get("passport")
        return cls(
            full_name=data["full_name"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            passport=None if passport is None else PassportDetails.from_dict(passport),
        )


@dataclass(frozen=True, slots=True)
class DeviceLine(_Plain):
    """One device of the client as listed in the contract."""

    category_label: str
    brand: str
    model: str
    serial: str


@dataclass(frozen=True, slots=True)
class ChargeLine:
    """One priced line of a tariff breakdown or an invoice."""

    label: str
    quantity: int
    unit_price: Decimal
    amount: Decimal

    def __post_init__(self) -> None:
        """Refuse float or fractional-kopeck money and negative quantities."""
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise TypeError(f"quantity must be an int, got {self.quantity!r}")
        if self.quantity < 0:
            raise ValueError(f"quantity must not be negative, got {self.quantity}")
        _check_money("unit_price", self.unit_price)
        _check_money("amount", self.amount)

    def to_dict(self) -> dict[str, Any]:
        """Return the line as a JSON-ready dict with amounts as strings."""
        return {
            "label": self.label,
            "quantity": self.quantity,
            "unit_price": _money_out(self.unit_price),
            "amount": _money_out(self.amount),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build the line from a dict written by `to_dict`."""
        return cls(
            label=data["label"],
            quantity=int(data["quantity"]),
            unit_price=_money_in(data["unit_price"]),
            amount=_money_in(data["amount"]),
        )


@dataclass(frozen=True, slots=True)
class ContractDocument:
    """Everything a service contract shows; its `to_dict()` is the contract's snapshot."""

    number: str
    created_at: datetime
    city: str
    company: CompanyRequisites
    client: ClientData
    master_name: str
    tariff_name: str
    monthly_fee: Decimal
    devices: tuple[DeviceLine, ...]
    charges: tuple[ChargeLine, ...]
    total_due: Decimal
    otp_valid_minutes: int = 10

    def __post_init__(self) -> None:
        """Check money and time, and freeze lists into tuples so the document is hashable."""
        _check_aware("created_at", self.created_at)
        _check_money("monthly_fee", self.monthly_fee)
        _check_money("total_due", self.total_due)
        if self.otp_valid_minutes <= 0:
            raise ValueError("otp_valid_minutes must be positive")
        object.__setattr__(self, "devices", tuple(self.devices))
        object.__setattr__(self, "charges", tuple(self.charges))

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON snapshot of the contract (schema 1)."""
        return {
            "schema": SCHEMA_VERSION,
            "number": self.number,
            "created_at": self.created_at.isoformat(),
            "city": self.city,
            "company": self.company.to_dict(),
            "client": self.client.to_dict(),
            "master_name": self.master_name,
            "tariff_name": self.tariff_name,
            "monthly_fee": _money_out(self.monthly_fee),
            "devices": [device.to_dict() for device in self.devices],
            "charges": [charge.to_dict() for charge in self.charges],
            "total_due": _money_out(self.total_due),
            "otp_valid_minutes": self.otp_valid_minutes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Read a snapshot written by `to_dict`, refusing other schema versions."""
        _check_schema(data)
        return cls(
            number=data["number"],
            created_at=datetime.fromisoformat(data["created_at"]),
            city=data["city"],
            company=CompanyRequisites.from_dict(data["company"]),
            client=ClientData.from_dict(data["client"]),
            master_name=data["master_name"],
            tariff_name=data["tariff_name"],
            monthly_fee=_money_in(data["monthly_fee"]),
            devices=tuple(DeviceLine.from_dict(item) for item in data["devices"]),
            charges=tuple(ChargeLine.from_dict(item) for item in data["charges"]),
            total_due=_money_in(data["total_due"]),
            otp_valid_minutes=int(data.get("otp_valid_minutes", 10)),
        )


@dataclass(frozen=True, slots=True)
class SignatureEvidence:
    """What the signed contract states about its simple electronic signature."""

    signed_at: datetime
    document_sha256: str
    otp_message_id: int
    master_name: str
    ssh_connection: str | None = None

    def __post_init__(self) -> None:
        """Refuse a naive time or anything but a 64-digit lower-case hex digest."""
        _check_aware("signed_at", self.signed_at)
        digest = self.document_sha256
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"document_sha256 must be 64 lower-case hex digits: {digest!r}")

    def to_dict(self) -> dict[str, Any]:
        """Return the evidence as a JSON-ready dict (schema 1)."""
        return {
            "schema": SCHEMA_VERSION,
            "signed_at": self.signed_at.isoformat(),
            "document_sha256": self.document_sha256,
            "otp_message_id": self.otp_message_id,
            "master_name": self.master_name,
            "ssh_connection": self.ssh_connection,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Read evidence written by `to_dict`, refusing other schema versions."""
        _check_schema(data)
        return cls(
            signed_at=datetime.fromisoformat(data["signed_at"]),
            document_sha256=data["document_sha256"],
            otp_message_id=int(data["otp_message_id"]),
            master_name=data["master_name"],
            ssh_connection=data.get("ssh_connection"),
        )


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    """Everything an invoice shows: supplier, payer, basis, lines and the due date."""

    number: str
    issued_at: datetime
    due_date: date
    company: CompanyRequisites
    client_name: str
    client_address: str
    contract_number: str
    contract_date: date
    lines: tuple[ChargeLine, ...]
    total: Decimal
    paid: bool = False

    def __post_init__(self) -> None:
        """Check money and time, and freeze the lines into a tuple."""
        _check_aware("issued_at", self.issued_at)
        _check_money("total", self.total)
        object.__setattr__(self, "lines", tuple(self.lines))

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON snapshot of the invoice (schema 1)."""
        return {
            "schema": SCHEMA_VERSION,
            "number": self.number,
            "issued_at": self.issued_at.isoformat(),
            "due_date": self.due_date.isoformat(),
            "company": self.company.to_dict(),
            "client_name": self.client_name,
            "client_address": self.client_address,
            "contract_number": self.contract_number,
            "contract_date": self.contract_date.isoformat(),
            "lines": [line.to_dict() for line in self.lines],
            "total": _money_out(self.total),
            "paid": self.paid,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Read a snapshot written by `to_dict`, refusing other schema versions."""
        _check_schema(data)
        return cls(
            number=data["number"],
            issued_at=datetime.fromisoformat(data["issued_at"]),
            due_date=date.fromisoformat(data["due_date"]),
            company=CompanyRequisites.from_dict(data["company"]),
            client_name=data["client_name"],
            client_address=data["client_address"],
            contract_number=data["contract_number"],
            contract_date=date.fromisoformat(data["contract_date"]),
            lines=tuple(ChargeLine.from_dict(item) for item in data["lines"]),
            total=_money_in(data["total"]),
            paid=bool(data["paid"]),
        )
