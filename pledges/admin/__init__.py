"""The editors' workspace: one module per area, each registering its admins."""

from pledges import admin_reports  # follow-up reports and subscriptions, kept beside the app
from pledges.admin import companies, ledger, pledges, review, sources, tokens

__all__ = ["admin_reports", "companies", "ledger", "pledges", "review", "sources", "tokens"]
