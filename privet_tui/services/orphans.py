"""`privet-tui gc`: objects in the store that no row references (photos, contract and invoice
PDFs whose commit failed) are removed once older than a grace period, so an upload whose
commit is still in flight is never touched; raw uploads from phones (`phone/`) and their
per-link forms (`u/…`) go once older than a phone link's life (the page `u` stays)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CompoundSelect, select, union
from sqlalchemy.orm import Session

from privet_tui.db.models.billing import MasterContract, MasterInvoice
from privet_tui.db.models.clients import MasterDevicePhoto
from privet_tui.services.workflow import now
from privet_tui.storage.base import ObjectStore
from privet_tui.storage.keys import PHONE_FORM_ROOT, PHONE_UPLOAD_ROOT

__all__ = ["GC_GRACE", "collect_garbage", "referenced_keys"]

GC_GRACE = timedelta(hours=1)


def referenced_keys(session: Session) -> set[str]:
    """Every object key some row points at: photos, contract PDFs, invoice PDFs."""
    query: CompoundSelect[tuple[str | None]] = union(
        select(MasterDevicePhoto.file_key),
        select(MasterContract.draft_key),
        select(MasterContract.signed_key).where(MasterContract.signed_key.is_not(None)),
        select(MasterInvoice.pdf_key),
    )
    return {k for k in session.scalars(select(query.subquery().c[0])) if k}


def collect_garbage(
    session: Session,
    store: ObjectStore,
    *,
    grace: timedelta = GC_GRACE,
    dry_run: bool = False,
    at: datetime | None = None,
    phone_link_life: timedelta | None = None,
) -> list[str]:
    """Remove (or with `dry_run` only list) unreferenced objects older than `grace`, and,
    when `phone_link_life` is given, phone uploads and link forms older than it."""
    moment = at or now()
    cutoff = moment - grace
    keep = referenced_keys(session)
    orphans = [
        obj.key for obj in store.list("clients/") if obj.key not in keep and obj.modified < cutoff
    ]
    if phone_link_life is not None:
        stale = moment - phone_link_life
        for root in (PHONE_UPLOAD_ROOT, PHONE_FORM_ROOT):
            orphans.extend(obj.key for obj in store.list(root) if obj.modified < stale)
    if not dry_run:
        for key in orphans:
            store.delete(key)
    return orphans
