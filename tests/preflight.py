"""`make test` first: is there a PostgreSQL server to test against? One clear line if not."""

from __future__ import annotations

import os
import sys

import dj_database_url
import psycopg


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url) if url else {}
    if config.get("ENGINE") != "django.db.backends.postgresql":
        print(
            f"make test needs PostgreSQL; DATABASE_URL={url!r} is not a postgres:// URL.",
            file=sys.stderr,
        )
        return 2
    try:
        psycopg.connect(
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(
            f"No PostgreSQL answers at {config.get('HOST')}:{config.get('PORT') or 5432} "
            f"({first_line}); start one or set DATABASE_URL=postgres://USER@HOST:PORT/NAME.",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
