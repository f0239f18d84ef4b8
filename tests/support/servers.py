"""Private PostgreSQL and Redis servers, and the project's own processes, for fault tests.

The machine's PostgreSQL and Redis are never stopped: each fault test starts servers of its
own in a temporary folder, on free ports, and stops, kills or restarts those. PostgreSQL
refuses to run as root, so as root it runs as the `postgres` user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


def http_get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    """(status, body) of a GET; errors are answers too, a refused connection raises."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise FileNotFoundError(f"{name} (PostgreSQL server binaries) is not installed")


class PrivatePostgres:
    """A PostgreSQL cluster of its own (trust authentication, fsync off) on a free port."""

    def __init__(self) -> None:
        # Not under pytest's tmp_path: as root that is private to root, and the server runs
        # as `postgres`.
        self.folder = Path(tempfile.mkdtemp(prefix="pledges-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_owner: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            self.as_owner = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, user="postgres")
        subprocess.run(
            [
                *self.as_owner,
                *(_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"),
                *("--no-sync", "-E", "UTF8"),
            ],
            check=True,
            capture_output=True,
        )

    def url(self, name: str = "pledges") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [
                *self.as_owner,
                *(_pg_bin("pg_ctl"), "-D", str(self.data), "-o", options),
                *("-l", str(self.folder / "server.log"), "-w", "-t", "30", "start"),
            ],
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            [*self.as_owner, _pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
            check=True,
            capture_output=True,
        )

    def remove(self) -> None:
        """Stop the server if it runs, and delete its files."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str = "pledges") -> None:
        subprocess.run(
            [_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
            check=True,
            capture_output=True,
        )


class PrivateRedis:
    """A redis-server of its own, persisting to an append-only file like production's."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "yes", "--appendfsync", "always"),
                *("--dir", str(self.folder), "--daemonize", "no"),
            ],
            stdout=open(self.folder / "redis.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        wait_until(self.answers, 20, "redis-server to answer")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """A clean shutdown (SIGTERM): Redis flushes its append-only file first."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


def project_env(**overrides: str) -> dict[str, str]:
    """The environment of a production process of the project (DEBUG off)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))
    }
    env.update(
        PATH=f"{VENV_BIN}:{env.get('PATH', '/usr/bin:/bin')}",
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "test-only-secret-key"),
        FETCH_ALLOW_NETWORKS="127.0.1.0/24,127.0.2.0/24",
        DATABASE_CONN_MAX_AGE="0",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def start_worker(env: dict[str, str], name: str, log: Path, *args: str) -> subprocess.Popen[bytes]:
    """A Celery worker as `entrypoint.sh worker` starts it, plus `args`."""
    return subprocess.Popen(
        [
            *(str(ROOT / "docker" / "entrypoint.sh"), "worker", "-n", f"{name}@%h"),
            *("--without-gossip", "--without-mingle", *args),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "ab"),
        start_new_session=True,
    )


def start_web(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """The production web server (`entrypoint.sh web`: gunicorn), answering on `port`."""
    process = subprocess.Popen(
        [str(ROOT / "docker" / "entrypoint.sh"), "web", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "ab"),  # noqa: SIM115
        start_new_session=True,
    )

    def up() -> bool:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            http_get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return True
        except OSError:
            return False

    wait_until(up, 60, "gunicorn to answer")
    return process


def stop_process(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM to the process group (gunicorn or a worker and its children), then wait."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """Run `python manage.py ARGS` with `env`; its standard output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
