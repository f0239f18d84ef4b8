"""Readers for the files under docker/ (no Docker needed): Dockerfile, env files, entrypoint."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DOCKER = ROOT / "docker"


def dockerfile_instructions(path: Path = DOCKER / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, comments dropped and continuation lines joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def exec_form(arguments: str) -> list[str]:
    """The JSON (exec) form of CMD, ENTRYPOINT or HEALTHCHECK CMD."""
    value = json.loads(arguments)
    if not isinstance(value, list):
        raise ValueError(f"not the exec form (a JSON list): {arguments}")
    return value


def env_file(path: Path) -> dict[str, str]:
    """NAME=value lines of an env file, read literally as compose does."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, sep, value = line.partition("=")
            if not sep:
                raise ValueError(f"{path}: not NAME=value: {line!r}")
            values[name.strip()] = value
    return values


def entrypoint_roles(path: Path = DOCKER / "entrypoint.sh") -> dict[str, str]:
    """role → the body of its branch in the entrypoint's `case` statement."""
    text = path.read_text()
    pattern = re.compile(r"^  ([a-z*]+)\)\n(.*?)^    ;;", re.MULTILINE | re.DOTALL)
    return {match.group(1): match.group(2) for match in pattern.finditer(text)}


def _defaults(word: str) -> str:
    # ${NAME:-default} → default, innermost first (the web address nests ${PORT:-8000}).
    previous = None
    while previous != word:
        previous = word
        word = re.sub(r"\$\{[A-Za-z0-9_]+:-([^${}]*)\}", r"\1", word)
    return word


def normalised(command: str) -> list[str]:
    """A command line as words, `exec` and "$@" dropped, variables at their defaults."""
    words = [_defaults(word) for word in shlex.split(command)]
    return [word for word in words if word not in {"exec", "$@"}]


def entrypoint_commands(path: Path = DOCKER / "entrypoint.sh") -> dict[str, list[str]]:
    """role → its one `exec` line, normalised (roles whose branch has one exec line)."""
    commands: dict[str, list[str]] = {}
    for role, body in entrypoint_roles(path).items():
        execs = [line.strip() for line in body.splitlines() if line.strip().startswith("exec ")]
        if len(execs) == 1:
            commands[role] = normalised(execs[0])
    return commands
