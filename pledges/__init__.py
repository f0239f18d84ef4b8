"""The pledge domain: companies, pledges, sources, status updates and source checks."""
