"""Writes and state transitions. Views, admin, API, commands and tasks all call these."""
