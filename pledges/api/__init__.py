"""The journalists' REST API under /api/v1/ (shared/spec/api.md)."""
