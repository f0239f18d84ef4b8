"""Helpers shared by tests (no Django imports here, so plain pytest can use them)."""
