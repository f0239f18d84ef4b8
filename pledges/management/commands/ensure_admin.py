"""python manage.py ensure_admin — a local admin account for the demo, printed on the console."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo superuser 'admin' once (password kept in var/admin-password)."

    def handle(self, *args: Any, **options: Any) -> None:
        password_file = settings.VAR_DIR / "admin-password"
        user_model = get_user_model()
        user = user_model.objects.filter(username="admin").first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                user = user_model.objects.create_superuser("admin", "admin@localhost", password)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        password = password_file.read_text().strip()
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            f"Admin login: http://127.0.0.1:{port}/admin/ user 'admin', password '{password}'"
        )
