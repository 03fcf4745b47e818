"""Settings: a value that cannot be used is named in the error, and the web application does
not start outside development mode without a real SECRET_KEY."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest

from boerse.settings import Settings, SettingsError, get_settings


@pytest.mark.parametrize(
    ("name", "value"),
    [("SMTP_PORT", "abc"), ("MATCH_WEIGHT_TIME", "viel"), ("BOERSE_DEV", "vielleicht")],
)
def test_an_unusable_value_names_its_variable(monkeypatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError, match=name):
        Settings.from_env()


@pytest.mark.parametrize(
    "secret",
    ["", "kurz", "CHANGE-ME-to-a-long-random-secret", "changeme-changeme-changeme-changeme!"],
)
def test_outside_development_a_weak_secret_is_refused(secret: str) -> None:
    settings = dataclasses.replace(get_settings(), dev_mode=False, secret_key=secret)

    with pytest.raises(SettingsError, match="SECRET_KEY"):
        settings.require_strong_secret()


def test_a_real_secret_or_development_mode_is_accepted() -> None:
    strong = dataclasses.replace(get_settings(), dev_mode=False, secret_key="x" * 32)
    development = dataclasses.replace(get_settings(), dev_mode=True, secret_key="")

    strong.require_strong_secret()
    development.require_strong_secret()


def test_without_secret_and_outside_development_none_is_generated(monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.delenv("BOERSE_DEV")

    assert Settings.from_env().secret_key == ""


def boerse(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boerse.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_command_line_says_which_setting_is_wrong_without_a_traceback() -> None:
    result = boerse("migrate", SMTP_PORT="abc")

    assert result.returncode == 2
    assert result.stderr.strip() == "Fehler: SMTP_PORT muss eine ganze Zahl sein, nicht „abc“."


def test_the_web_server_does_not_start_with_the_placeholder_secret() -> None:
    result = boerse(
        "serve", "--port", "1", SECRET_KEY="CHANGE-ME-to-a-long-random-secret", BOERSE_DEV="0"
    )

    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr
