"""No drift: compose, the image, the Makefile and the README start processes the same way.

docker/entrypoint.sh holds the one command line of each process (web, worker, beat, migrate).
The image's ENTRYPOINT is that script, compose only names a role, the Makefile's serve, worker
and beat call the script, and every command line the README shows is the script's. (`make run`,
the demo, embeds beat in its worker on purpose: tracker/run_all.py is not production.)
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.support.deployfiles import (
    DOCKER,
    ROOT,
    dockerfile_instructions,
    entrypoint_commands,
    entrypoint_roles,
    exec_form,
    normalised,
)

PROCESS_ROLES = {"web", "worker", "beat", "migrate"}
APP_SERVICES = {"web", "worker", "beat", "migrate"}
# Words that start a process command of their own, which only the entrypoint may spell.
PROCESS_COMMAND = re.compile(
    r"gunicorn tracker\.wsgi|celery -A tracker (worker|beat)|manage\.py migrate"
)


def _compose() -> dict[str, Any]:
    return yaml.safe_load((DOCKER / "compose.yml").read_text())


def _readme_commands() -> list[str]:
    """Every command the README shows: lines of ``` blocks and `inline code`."""
    readme = (ROOT / "README.md").read_text()
    commands = []
    for block in re.findall(r"^```(?:sh|bash|console)?\n(.*?)^```", readme, re.M | re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line and not line.startswith("#"):
                commands.append(line)
    commands += re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", readme, flags=re.M | re.S))
    return commands


def test_entrypoint_has_one_command_per_process() -> None:
    commands = entrypoint_commands()
    assert set(commands) >= PROCESS_ROLES
    assert commands["web"][:2] == ["gunicorn", "tracker.wsgi"]
    assert commands["worker"][:4] == ["celery", "-A", "tracker", "worker"]
    assert commands["beat"][:4] == ["celery", "-A", "tracker", "beat"]
    assert commands["migrate"] == ["python", "manage.py", "migrate", "--noinput"]


def test_image_starts_every_process_through_the_entrypoint() -> None:
    instructions = dict(dockerfile_instructions())
    assert exec_form(instructions["ENTRYPOINT"]) == ["/app/docker/entrypoint.sh"]
    assert exec_form(instructions["CMD"])[0] in PROCESS_ROLES


def test_compose_names_only_entrypoint_roles() -> None:
    services = _compose()["services"]
    for name in APP_SERVICES:
        command = services[name]["command"]
        assert command == [name], f"{name}: compose passes a role, not a command line"
        assert "entrypoint" not in services[name]
    text = (DOCKER / "compose.yml").read_text()
    assert not PROCESS_COMMAND.search(text), "compose spells a process command itself"


def test_makefile_serve_worker_beat_run_the_entrypoint() -> None:
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "serve", "worker", "beat"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "docker/entrypoint.sh collectstatic && exec docker/entrypoint.sh web 127.0.0.1:" in (
        dry_run
    )
    assert "exec docker/entrypoint.sh worker" in dry_run
    assert "exec docker/entrypoint.sh beat" in dry_run
    assert not PROCESS_COMMAND.search(dry_run), "the Makefile spells a process command itself"
    assert "DEBUG=0" in dry_run


def test_readme_shows_the_entrypoint_command_lines() -> None:
    expected = {" ".join(words) for words in entrypoint_commands().values()}
    shown = [c for c in _readme_commands() if PROCESS_COMMAND.search(c)]
    assert shown, "the README's Operations section shows the process commands"
    for command in shown:
        assert " ".join(normalised(command)) in expected, f"README drifted: {command}"


def test_readme_compose_commands_name_real_services_and_roles() -> None:
    services = set(_compose()["services"])
    roles = set(entrypoint_roles()) - {"*"}
    compose_lines = [c for c in _readme_commands() if c.startswith("docker compose ")]
    assert any("--scale worker=" in line for line in compose_lines)
    for line in compose_lines:
        for part in re.split(r"\s*(?:&&|\||>|<)\s*", line):
            if part.startswith("docker compose"):
                _check_compose_invocation(shlex.split(part), services, roles, line)


def _check_compose_invocation(
    words: list[str], services: set[str], roles: set[str], line: str
) -> None:
    assert words[2:4] == ["-f", "docker/compose.yml"], f"use -f docker/compose.yml: {line}"
    rest = words[4:]
    with_value = {"--scale", "-e", "-v", "--profile", "--env-file", "-u", "--user"}
    while rest and rest[0].startswith("-"):  # options before the subcommand
        rest = rest[2:] if rest[0] in with_value else rest[1:]
    subcommand, args = rest[0], rest[1:]
    positional: list[str] = []
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--scale":
            assert args[index + 1].split("=")[0] in services, line
            index += 2
        elif word in with_value:
            index += 2
        elif word.startswith("-"):
            index += 1
        else:
            positional = args[index:]
            break
    if subcommand in {"run", "exec"}:
        service, command = positional[0], positional[1:]
        assert service in services, f"no service {service!r}: {line}"
        if subcommand == "run" and service in APP_SERVICES and command:
            assert command[0] in roles, f"{command[0]!r} is not an entrypoint role: {line}"
    else:
        for service in positional:
            assert service in services, f"no service {service!r}: {line}"


def test_drift_check_catches_a_changed_command(tmp_path: Path) -> None:
    # The comparison is strict: one option more in a README line is drift.
    worker = " ".join(entrypoint_commands()["worker"])
    assert " ".join(normalised(worker + " --concurrency 8")) != worker
    assert " ".join(normalised('celery -A tracker worker --loglevel "${LOG_LEVEL:-INFO}"')) == (
        worker
    )
