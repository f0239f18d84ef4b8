"""`make run`: the development web server, a Celery worker and beat, stopped together.

One Ctrl-C (or any child dying) stops all three, so a newcomer never has stray workers left.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    args = parser.parse_args()
    bin_dir = os.path.dirname(sys.executable)
    commands = {
        "web": [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        # -B embeds beat in the worker: one process for the demo; production runs beat alone.
        "worker+beat": [
            os.path.join(bin_dir, "celery"),
            "-A",
            "tracker",
            "worker",
            "-B",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            "--schedule",
            os.path.join("var", "celerybeat-schedule"),
        ],
    }
    children = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
    print(f"Serving http://127.0.0.1:{args.port}/ — Ctrl-C stops the site, worker and beat.")

    def stop(*_: object) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
        dead = [name for name, child in children.items() if child.poll() is not None]
        print(f"{', '.join(dead)} stopped; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
