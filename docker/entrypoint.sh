#!/bin/sh
# How each process of Pledge Tracker starts, written once. The docker image (ENTRYPOINT),
# docker/compose.yml (command: web, worker, beat, migrate) and the Makefile (`make serve`,
# `make worker`, `make beat`) all start processes through this script; tests/test_ops_drift.py
# fails when one of them, or the README, spells such a command differently.
#
#   entrypoint.sh web [ADDRESS]       gunicorn on ADDRESS; default 0.0.0.0:$PORT, every interface
#                                     of a container (`make serve` passes 127.0.0.1:$PORT)
#   entrypoint.sh worker [OPTION...]  a Celery worker; run as many as you like, on any machine
#   entrypoint.sh beat                the Celery beat scheduler: exactly one per deployment
#   entrypoint.sh migrate             apply the database migrations (one-shot)
#   entrypoint.sh collectstatic       gather static files for WhiteNoise (the image does it once)
#   entrypoint.sh healthcheck [worker]  exit 0 when /healthz answers on $PORT, or, with
#                                     `worker`, when this machine's Celery worker answers a ping
#   entrypoint.sh manage ARG...       any manage.py command, e.g. `manage export_pledges p.csv`
#   entrypoint.sh COMMAND [ARG...]    anything else runs as given (a shell, for instance)
#
# Programs come from PATH: the image puts its virtualenv first; the Makefile puts .venv/bin.
set -eu
cd "$(dirname "$0")/.."

role=${1:-web}
if [ "$#" -gt 0 ]; then shift; fi

case "$role" in
  web)
    exec gunicorn tracker.wsgi --bind "${1:-0.0.0.0:${PORT:-8000}}" --workers "${WEB_WORKERS:-3}" --threads "${WEB_THREADS:-1}" --forwarded-allow-ips "*"
    ;;
  worker)
    exec celery -A tracker worker --loglevel "${LOG_LEVEL:-INFO}" "$@"
    ;;
  beat)
    exec celery -A tracker beat --loglevel "${LOG_LEVEL:-INFO}"
    ;;
  migrate)
    exec python manage.py migrate --noinput
    ;;
  collectstatic)
    exec python manage.py collectstatic --noinput -v0
    ;;
  healthcheck)
    if [ "${1:-web}" = worker ]; then
      exec celery -A tracker inspect ping --destination "celery@$(hostname)" --timeout 10
    fi
    exec python -c 'import os, urllib.request
urllib.request.urlopen("http://127.0.0.1:%s/healthz" % os.environ.get("PORT", "8000"), timeout=5)'
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
