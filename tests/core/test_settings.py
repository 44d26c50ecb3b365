"""Settings come from the environment; production refuses to start unsafe."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "PREVENTHUB_ENV": "production",
    "SECRET_KEY": "k3y-" + "x7Qp9Lm2Vz8Rt4Wn6Ys1Bd5Hf0Jc3Ke7Ua" * 2,
    "ALLOWED_HOSTS": "prevent.example.gov.uk",
    "DATABASE_URL": "postgres://preventhub@db.internal:5432/preventhub",
    "EMAIL_HOST": "smtp.example.gov.uk",
    "PREVENTHUB_CASE_KEYS": "T0sJIdxbeJZrlPzs2TaoqmpLWzvHX0XiWvWl8E4b7kM=",
}


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "PREVENTHUB_ENV",
            "EMAIL_HOST",
            "EMAIL_BACKEND",
            "PREVENTHUB_CASE_KEYS",
        }
    }
    clean["PREVENTHUB_VAR_DIR"] = str(tmp_path / "var")
    clean.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_passes_django_deployment_checks_with_no_warning(tmp_path: Path) -> None:
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing,message",
    [
        ("SECRET_KEY", "SECRET_KEY must be set when PREVENTHUB_ENV=production"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set when PREVENTHUB_ENV=production"),
        ("DATABASE_URL", "DATABASE_URL must point at PostgreSQL"),
        ("PREVENTHUB_CASE_KEYS", "PREVENTHUB_CASE_KEYS must be set when PREVENTHUB_ENV=production"),
    ],
)
def test_production_refuses_to_start_without_a_required_setting(
    tmp_path: Path, missing: str, message: str
) -> None:
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0 and message in result.stderr


def test_production_refuses_debug(tmp_path: Path) -> None:
    result = manage("check", env={**PRODUCTION, "DEBUG": "true"}, tmp_path=tmp_path)
    assert result.returncode != 0 and "DEBUG cannot be on" in result.stderr


def test_production_refuses_the_demo_case_key(tmp_path: Path) -> None:
    from preventhub.settings import DEMO_CASE_KEY

    result = manage(
        "check", env={**PRODUCTION, "PREVENTHUB_CASE_KEYS": DEMO_CASE_KEY}, tmp_path=tmp_path
    )
    assert result.returncode != 0 and "must not start with the demo key" in result.stderr


def test_production_refuses_sqlite(tmp_path: Path) -> None:
    result = manage(
        "check", env={**PRODUCTION, "DATABASE_URL": "sqlite:///x.db"}, tmp_path=tmp_path
    )
    assert result.returncode != 0 and "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_the_demo_makes_its_secret_key_once_readable_only_by_its_owner(tmp_path: Path) -> None:
    first = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env={},
        tmp_path=tmp_path,
    )
    second = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env={},
        tmp_path=tmp_path,
    )
    key_file = tmp_path / "var" / "secret_key"
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_bad_boolean_is_named_in_the_error(tmp_path: Path) -> None:
    result = manage("check", env={"DEBUG": "perhaps"}, tmp_path=tmp_path)
    assert "DEBUG must be true or false, not 'perhaps'" in result.stderr


def test_production_cookies_are_https_only_and_hsts_is_on(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION, tmp_path=tmp_path)
    assert result.stdout.split() == ["True", "True", "True", "31536000"], result.stderr


def test_upload_limits_come_from_the_environment(tmp_path: Path) -> None:
    code = (
        "from preventhub.core.spreadsheets import Limits; l = Limits.from_settings(); "
        "print(l.max_bytes, l.max_rows, l.max_seconds)"
    )
    env = {"PREVENTHUB_UPLOAD_MAX_MB": "3", "PREVENTHUB_SPREADSHEET_MAX_ROWS": "40"}
    result = manage("shell", "-c", code, env=env, tmp_path=tmp_path)
    assert result.stdout.splitlines()[-1].split() == [str(3 * 1024 * 1024), "40", "20"]


@pytest.mark.parametrize(
    ("setting", "options"),
    [
        ({}, "{'server_side_binding': True, 'prepare_threshold': 5}"),
        ({"DATABASE_PREPARED_STATEMENTS": "false"}, "{}"),
    ],
)
def test_postgresql_prepares_the_queries_pages_repeat_unless_told_not_to(
    tmp_path: Path, setting: dict[str, str], options: str
) -> None:
    """On by default; off behind a pooler that would lose a connection's prepared statements."""
    code = "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS'])"
    env = {"DATABASE_URL": "postgres://preventhub@db.internal:5432/preventhub", **setting}
    result = manage("shell", "--no-imports", "-c", code, env=env, tmp_path=tmp_path)
    assert result.stdout.strip() == options, result.stderr


@pytest.mark.parametrize(
    ("setting", "kept"), [({}, "True"), ({"DATABASE_CONN_MAX_AGE": "0"}, "False")]
)
def test_a_web_process_keeps_its_sqlite_connection_from_one_request_to_the_next(
    tmp_path: Path, setting: dict[str, str], kept: str
) -> None:
    """Opening one reads the whole schema before its first statement: 2.8 ms of every request,
    more than /healthz takes with the connection kept (docs/performance.md)."""
    code = (
        "from django.core.signals import request_finished, request_started\n"
        "from django.db import connection\n"
        "request_started.send(None); connection.ensure_connection()\n"
        "first = connection.connection; request_finished.send(None)\n"
        "request_started.send(None); connection.ensure_connection()\n"
        "print(connection.connection is first); request_finished.send(None)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=setting, tmp_path=tmp_path)
    assert result.stdout.strip() == kept, result.stderr
