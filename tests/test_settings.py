"""Configuration: strict environment readers, and docs that cannot drift from the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.env import EnvError, env_bool, env_float, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent


def test_env_bool_accepts_only_booleans() -> None:
    assert env_bool("X", False, {"X": "yes"}) is True
    assert env_bool("X", True, {"X": "0"}) is False
    assert env_bool("X", True, {}) is True
    with pytest.raises(EnvError, match="X='flase' is not a boolean"):
        env_bool("X", False, {"X": "flase"})


def test_env_int_and_float_reject_junk_and_low_values() -> None:
    assert env_int("N", 3, environ={"N": "7"}) == 7
    with pytest.raises(EnvError, match="not a whole number"):
        env_int("N", 3, environ={"N": "7.5"})
    with pytest.raises(EnvError, match="at least 1"):
        env_int("N", 3, minimum=1, environ={"N": "0"})
    assert env_float("F", 1.0, environ={"F": "0.5"}) == 0.5
    with pytest.raises(EnvError, match="not a number"):
        env_float("F", 1.0, environ={"F": "fast"})


def test_env_list_and_secret_file(tmp_path: Path) -> None:
    assert env_list("L", None, {"L": " a, ,b "}) == ["a", "b"]
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    assert env_str("SECRET_KEY", "", {"SECRET_KEY_FILE": str(secret)}) == "s3cret"
    with pytest.raises(EnvError, match="cannot be read"):
        env_str("SECRET_KEY", "", {"SECRET_KEY_FILE": str(tmp_path / "missing")})


def _settings_variables() -> set[str]:
    text = (ROOT / "tracker" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|float|list)\(\s*"([A-Z0-9_]+)"', text))


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", readme, re.MULTILINE))
    variables = _settings_variables() | {"PORT", "WEB_WORKERS", "WEB_THREADS"}  # the Makefile's
    assert variables, "no env_* calls found in settings"
    assert variables - documented == set(), "add these to the README's configuration table"
    assert documented - variables == set(), "the README documents variables nothing reads"


def test_secret_key_required_with_debug_off(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            "'tracker.settings'; django.setup()",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off" in result.stderr


def test_bad_variable_stops_start_up_with_its_name(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "maybe", "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr
