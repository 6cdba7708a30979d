"""The seal's files (seal_files.py): which seal signs, what is refused, the self-signed seal."""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from privet_tui.config import Company, Settings
from privet_tui.pdf.seal import SealError
from privet_tui.seal_files import (
    create_self_signed_seal,
    ensure_seal,
    load_company_seal,
    seal_files,
    self_signed_paths,
)

COMPANY = Company(name="ООО «Тест Печать»", city="Тверь")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with an empty data dir of their own (no seal yet)."""
    return Settings(data_dir=tmp_path / "data", company=COMPANY)


@pytest.fixture
def made(settings: Settings, seal_dir: Path) -> Settings:
    """`settings` with the run's self-signed seal copied into its data dir."""
    shutil.copytree(seal_dir, settings.data_dir / "seal")
    return settings


def test_no_seal_is_refused_naming_the_command(settings: Settings) -> None:
    assert seal_files(settings) is None
    with pytest.raises(SealError) as caught:
        load_company_seal(settings)
    assert "privet-tui seal init" in caught.value.message
    assert "SEAL_CERT_FILE" in caught.value.message
    assert "privet-tui seal init" in caught.value.detail


def test_seal_init_makes_a_private_key_and_names_the_company(settings: Settings) -> None:
    files = create_self_signed_seal(settings)
    assert files == self_signed_paths(settings.data_dir)
    assert stat.S_IMODE(files.key.stat().st_mode) == 0o600
    assert stat.S_IMODE(files.certificate.parent.stat().st_mode) == 0o700
    seal = load_company_seal(settings)
    assert seal.subject == COMPANY.name
    assert seal.location == COMPANY.city
    assert seal.not_after - datetime.now(UTC) > timedelta(days=3640)
    assert not list(files.key.parent.glob(".*tmp"))


def test_seal_init_never_overwrites_without_force(settings: Settings) -> None:
    create_self_signed_seal(settings)
    before = load_company_seal(settings).fingerprint
    with pytest.raises(SealError) as caught:
        create_self_signed_seal(settings)
    assert "--force" in caught.value.detail
    assert load_company_seal(settings).fingerprint == before
    create_self_signed_seal(settings, force=True)
    assert load_company_seal(settings).fingerprint != before  # new file content, new seal


def test_ensure_seal_makes_one_only_when_there_is_none(settings: Settings) -> None:
    first = ensure_seal(settings)
    fingerprint = load_company_seal(settings).fingerprint
    assert ensure_seal(settings) == first
    assert load_company_seal(settings).fingerprint == fingerprint


@pytest.mark.parametrize("mode", [0o644, 0o604])
def test_a_key_others_can_read_is_refused(made: Settings, mode: int) -> None:
    key = self_signed_paths(made.data_dir).key
    key.chmod(mode)
    with pytest.raises(SealError) as caught:
        load_company_seal(made)
    assert f"chmod 600 {key}" in caught.value.detail
    assert "chmod 600" in caught.value.message


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to chown the key")
def test_a_group_readable_key_is_refused_unless_root_owns_it(made: Settings) -> None:
    key = self_signed_paths(made.data_dir).key
    key.chmod(0o640)
    load_company_seal(made)  # root:group 0640, the recommended deployment
    os.chown(key, 1000, -1)
    with pytest.raises(SealError, match="chmod 600") as caught:
        load_company_seal(made)
    assert "its group" in caught.value.detail


def test_a_certificate_others_can_write_is_refused(made: Settings) -> None:
    cert = self_signed_paths(made.data_dir).certificate
    cert.chmod(0o646)
    with pytest.raises(SealError, match="chmod o-w"):
        load_company_seal(made)


def test_configured_files_win_over_the_self_signed_seal(made: Settings, tmp_path: Path) -> None:
    other = replace(made, data_dir=tmp_path / "company-ca")
    files = create_self_signed_seal(other)
    configured = replace(made, seal_cert_file=files.certificate, seal_key_file=files.key)
    assert seal_files(configured) == replace(files, configured=True)
    assert load_company_seal(configured).fingerprint == load_company_seal(other).fingerprint
    assert load_company_seal(configured).fingerprint != load_company_seal(made).fingerprint
    with pytest.raises(SealError, match="SEAL_CERT_FILE"):
        create_self_signed_seal(configured)


@pytest.mark.parametrize("missing", ["seal_cert_file", "seal_key_file"])
def test_half_a_configured_seal_is_refused(made: Settings, missing: str) -> None:
    files = self_signed_paths(made.data_dir)
    both = {"seal_cert_file": files.certificate, "seal_key_file": files.key}
    half = replace(made, **{**both, missing: None})
    with pytest.raises(SealError) as caught:
        load_company_seal(half)
    assert missing.upper() in caught.value.detail


def test_a_key_of_another_certificate_is_refused(made: Settings, tmp_path: Path) -> None:
    other = create_self_signed_seal(replace(made, data_dir=tmp_path / "other"))
    mine = self_signed_paths(made.data_dir)
    mixed = replace(made, seal_cert_file=mine.certificate, seal_key_file=other.key)
    with pytest.raises(SealError, match="не подходит") as caught:
        load_company_seal(mixed)
    assert "does not belong" in caught.value.detail


def test_missing_configured_file_is_named(made: Settings, tmp_path: Path) -> None:
    gone = tmp_path / "nowhere.pem"
    configured = replace(
        made,
        seal_cert_file=gone,
        seal_key_file=self_signed_paths(made.data_dir).key,
    )
    with pytest.raises(SealError, match="не найден") as caught:
        load_company_seal(configured)
    assert str(gone) in caught.value.detail


def test_an_expired_or_future_certificate_is_refused(settings: Settings) -> None:
    create_self_signed_seal(settings, days=2)
    seal = load_company_seal(settings)
    with pytest.raises(SealError, match="истёк") as caught:
        load_company_seal(settings, at=seal.not_after + timedelta(seconds=1))
    assert "expired" in caught.value.detail
    with pytest.raises(SealError, match="действует только с"):
        load_company_seal(settings, at=seal.not_before - timedelta(seconds=1))
    assert load_company_seal(settings, at=seal.not_after - timedelta(seconds=1)) == seal


def test_seal_init_into_a_folder_for_a_shared_workstation(
    settings: Settings, tmp_path: Path
) -> None:
    """`seal init --dir`: files for SEAL_CERT_FILE/SEAL_KEY_FILE; an existing folder (like
    /etc/privet-tui, 0750 root:privet) keeps its mode, so masters still reach the config."""
    shared = tmp_path / "etc"
    shared.mkdir(mode=0o750)
    shared.chmod(0o750)
    files = create_self_signed_seal(settings, folder=shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o750
    assert stat.S_IMODE(files.key.stat().st_mode) == 0o600
    assert seal_files(settings) is None  # the data dir got nothing
    configured = replace(settings, seal_cert_file=files.certificate, seal_key_file=files.key)
    assert load_company_seal(configured).subject == COMPANY.name
    with pytest.raises(SealError, match="уже создана"):
        create_self_signed_seal(settings, folder=shared)
