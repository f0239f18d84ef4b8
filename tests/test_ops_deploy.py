"""docker/: the compose file is valid Compose, the Dockerfile builds from files that exist, and
`check --deploy` passes with production variables. No Docker engine runs here, so these read
the files, validate them with Debian's docker-compose 1.29 (`config`: the Compose
Specification's JSON schema, interpolation, references) and run what can run without one.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.deployfiles import (
    DOCKER,
    ROOT,
    dockerfile_instructions,
    entrypoint_roles,
    env_file,
    exec_form,
)

INSTALL_HINT = "apt-get install -y --no-install-recommends docker-compose"


# --- helpers -----------------------------------------------------------------------------


def compose() -> dict[str, Any]:
    return yaml.safe_load((DOCKER / "compose.yml").read_text())


def readme_variables() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", readme, re.MULTILINE))


def _compose_config(tmp_path: Path, compose_text: str | None = None) -> subprocess.CompletedProcess:
    """`docker-compose config` of a copy of docker/, with .env.example as its .env."""
    tool = shutil.which("docker-compose")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail(f"docker-compose is missing; CI must install it: {INSTALL_HINT}")
        pytest.skip(f"docker-compose validates the compose file; install it: {INSTALL_HINT}")
    copy = tmp_path / "checkout"
    shutil.copytree(DOCKER, copy / "docker")
    shutil.copy(DOCKER / ".env.example", copy / "docker" / ".env")
    if compose_text is not None:
        (copy / "docker" / "compose.yml").write_text(compose_text)
    return subprocess.run(
        [tool, "-f", str(copy / "docker" / "compose.yml"), "--profile", "monitoring", "config"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
    )


# --- compose -----------------------------------------------------------------------------


def test_compose_file_validates_against_the_compose_specification(tmp_path: Path) -> None:
    result = _compose_config(tmp_path)
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    assert set(resolved["services"]) == {
        "db",
        "redis",
        "migrate",
        "web",
        "worker",
        "beat",
        "flower",
    }
    # The .env values reached the app containers and the interpolated passwords.
    assert resolved["services"]["web"]["environment"]["SECURE_SSL_REDIRECT"] == "1"
    assert "CHANGE-ME-redis-password" in resolved["services"]["redis"]["command"]


def test_compose_validation_rejects_what_the_specification_does_not_allow(
    tmp_path: Path,
) -> None:
    # The validator is live: an unknown option and a bad depends_on condition are refused.
    text = (DOCKER / "compose.yml").read_text()
    bad_key = text.replace("stop_grace_period: 60s", "stop_grace_period: 60s\n    replicaz: 2")
    result = _compose_config(tmp_path / "a", bad_key)
    assert result.returncode != 0
    assert "replicaz" in result.stderr
    bad_condition = text.replace("service_completed_successfully", "service_finished")
    result = _compose_config(tmp_path / "b", bad_condition)
    assert result.returncode != 0
    assert "service_finished" in result.stderr


def test_compose_services_wait_for_healthy_dependencies_and_run_migrations_once() -> None:
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"},
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }, name
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert not any(
        "migrate" in json.dumps(services[name].get("command")) for name in ("web", "worker", "beat")
    )
    assert services["db"]["image"] == "postgres:15"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["db"]["volumes"])
    assert "ping" in " ".join(services["redis"]["healthcheck"]["test"])
    assert services["flower"]["profiles"] == ["monitoring"]


def test_compose_workers_scale_and_beat_stays_single() -> None:
    services = compose()["services"]
    for name, service in services.items():
        # A fixed container_name or a fixed host port would make `--scale` fail.
        assert "container_name" not in service, name
    assert "ports" not in services["worker"]
    assert "deploy" not in services["beat"]
    assert services["worker"]["healthcheck"]["test"][-2:] == ["healthcheck", "worker"]
    assert services["beat"]["healthcheck"] == {"disable": True}


def test_compose_app_services_run_the_one_image_with_its_entrypoint() -> None:
    services = compose()["services"]
    app = {name: services[name] for name in ("migrate", "web", "worker", "beat")}
    images = {service["image"] for service in app.values()}
    assert len(images) == 1
    for name, service in app.items():
        assert service["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}, name
        assert "entrypoint" not in service, name
        assert service["env_file"] == ".env", name


# --- .env.example ------------------------------------------------------------------------


def settings_variables() -> set[str]:
    text = (ROOT / "tracker" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|float|list)\(\s*"([A-Z0-9_]+)"', text))


def test_env_example_lists_every_documented_variable() -> None:
    example = env_file(DOCKER / ".env.example")
    documented = readme_variables()
    assert documented, "no variables found in the README's table"
    assert documented - set(example) == set(), "add these to docker/.env.example"
    # Anything else must be read by the settings, or be compose's own: interpolated in
    # compose.yml, or its project name.
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", (DOCKER / "compose.yml").read_text()))
    unknown = set(example) - documented - settings_variables() - interpolated
    assert unknown == {"COMPOSE_PROJECT_NAME"}
    assert interpolated - set(example) == set(), "compose.yml uses variables the example lacks"


def test_env_example_has_production_values() -> None:
    example = env_file(DOCKER / ".env.example")
    assert example["DEBUG"] == "0"
    for switch in (
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "USE_X_FORWARDED_PROTO",
    ):
        assert example[switch] == "1", switch
    assert int(example["SECURE_HSTS_SECONDS"]) >= 31536000
    assert example["SECRET_KEY"] == "", "never ship a key: left empty, nothing starts"
    assert example["CSRF_TRUSTED_ORIGINS"].startswith("https://")
    assert example["LOG_FORMAT"] == "json"
    assert not any("$" in value for value in example.values()), "compose would interpolate $"
    # The passwords compose gives PostgreSQL and Redis are the ones the URLs use.
    assert f":{example['POSTGRES_PASSWORD']}@db:5432/" in example["DATABASE_URL"]
    assert f":{example['REDIS_PASSWORD']}@redis:6379/" in example["REDIS_URL"]
    # The paths are the image's own.
    image_env = dict(re.findall(r"([A-Z_]+)=(\S+)", dict(dockerfile_instructions())["ENV"]))
    for name in ("VAR_DIR", "STATIC_ROOT", "MEDIA_ROOT", "PORT"):
        assert example[name] == image_env[name], name


# --- Dockerfile --------------------------------------------------------------------------


def test_dockerfile_copies_only_files_that_exist() -> None:
    copies = [args for keyword, args in dockerfile_instructions() if keyword == "COPY"]
    assert copies
    for args in copies:
        words = shlex.split(args)
        if any(word.startswith("--from=") for word in words):
            continue  # from an earlier stage, not from the build context
        sources = [w for w in words[:-1] if not w.startswith("--")]
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such file in the build context"


def test_dockerfile_is_multi_stage_slim_and_unprivileged() -> None:
    instructions = dockerfile_instructions()
    bases = [args.split()[0] for keyword, args in instructions if keyword == "FROM"]
    assert len(bases) >= 2
    assert set(bases) == {"python:3.11-slim"}
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}
    run = " ".join(args for keyword, args in instructions if keyword == "RUN")
    assert "-r /tmp/requirements.txt" in run
    assert "entrypoint.sh collectstatic" in run


def test_dockerfile_entrypoint_cmd_and_healthcheck_exist() -> None:
    instructions = dict(dockerfile_instructions())
    workdir = Path(instructions["WORKDIR"])
    entrypoint = exec_form(instructions["ENTRYPOINT"])
    assert entrypoint == [str(workdir / "docker" / "entrypoint.sh")]
    local = ROOT / Path(entrypoint[0]).relative_to(workdir)
    assert local.is_file() and os.access(local, os.X_OK), f"{local} must be executable"
    roles = entrypoint_roles()
    assert exec_form(instructions["CMD"]) == ["web"]
    options, _, command = instructions["HEALTHCHECK"].partition("CMD ")
    assert "--interval=" in options
    probe = exec_form(command)
    assert probe[0] == entrypoint[0] and probe[1] in roles
    assert "/healthz" in roles["healthcheck"]


def test_build_time_collectstatic_produces_hashed_compressed_files(tmp_path: Path) -> None:
    """Runs the Dockerfile's collectstatic step as written, into a scratch STATIC_ROOT."""
    (step,) = [
        args
        for keyword, args in dockerfile_instructions()
        if keyword == "RUN" and "collectstatic" in args
    ]
    command = step.split("&&")[0].strip()
    static_root = tmp_path / "static"
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "DEBUG": "0",
        "STATIC_ROOT": str(static_root),
        "VAR_DIR": str(tmp_path / "var"),
    }
    # The step's own assignments (SECRET_KEY, VAR_DIR) come last, as in the image; VAR_DIR is
    # pointed into tmp_path so that nothing is written outside it.
    result = subprocess.run(
        command.replace("/tmp/build-var", str(tmp_path / "build-var")),
        shell=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["pledges/site.css"]
    assert re.fullmatch(r"pledges/site\.[0-9a-f]{12}\.css", hashed)
    assert (static_root / (hashed + ".gz")).exists()


# --- production settings -----------------------------------------------------------------


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_passes_with_the_documented_production_variables(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "pledges.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
        "SESSION_COOKIE_SECURE": "1",
        "CSRF_COOKIE_SECURE": "1",
    }
    result = _check_deploy(env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    # And it is the variables that make it pass: without HSTS it fails.
    result = _check_deploy({**env, "SECURE_HSTS_SECONDS": "0"})
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_check_deploy_passes_with_the_docker_env_example(tmp_path: Path) -> None:
    env = {
        **env_file(DOCKER / ".env.example"),
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": secrets.token_urlsafe(50),
        # The image's paths do not exist on this machine.
        "VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = _check_deploy(env)
    assert result.returncode == 0, result.stderr


def _django(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'tracker.settings'; "
    return subprocess.run(
        [sys.executable, "-c", setup + "django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_rotation_keeps_what_the_old_key_signed(tmp_path: Path) -> None:
    """The README's rotation: the old key moves to SECRET_KEY_FALLBACKS, a new one comes in."""
    old, new = secrets.token_urlsafe(50), secrets.token_urlsafe(50)
    base = {"PATH": "/usr/bin:/bin", "VAR_DIR": str(tmp_path), "DEBUG": "0"}
    signed = _django(
        {**base, "SECRET_KEY": old},
        "from django.core import signing; print(signing.dumps('session 42'))",
    )
    assert signed.returncode == 0, signed.stderr
    check = f"from django.core import signing; print(signing.loads({signed.stdout.strip()!r}))"
    rotated = _django({**base, "SECRET_KEY": new, "SECRET_KEY_FALLBACKS": old}, check)
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.strip() == "session 42"
    # Once the fallback is removed, the old signature is refused.
    dropped = _django({**base, "SECRET_KEY": new}, check)
    assert dropped.returncode != 0
    assert "BadSignature" in dropped.stderr
