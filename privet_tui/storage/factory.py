"""The object store the settings ask for: S3/MinIO when `S3_ENDPOINT` is set, else the
local directory in the data dir."""

from __future__ import annotations

from datetime import timedelta

from privet_tui.config import Settings
from privet_tui.storage.base import ObjectStore
from privet_tui.storage.local import LocalStore
from privet_tui.storage.s3 import S3Store


def open_store(settings: Settings) -> ObjectStore:
    if settings.s3_endpoint:
        assert settings.s3_access_key is not None
        assert settings.s3_secret_key is not None
        return S3Store(
            settings.s3_endpoint,
            settings.s3_access_key,
            settings.s3_secret_key,
            settings.s3_bucket,
            link_expiry=timedelta(hours=settings.s3_link_expiry_hours),
        )
    return LocalStore(settings.data_dir / "objects")
