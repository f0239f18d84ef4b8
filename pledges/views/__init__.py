"""Public pages: generic class-based views over selectors; no writes here.

pages: home, pledge list (+ its CSV), pledge, company, archived copy · feeds: Atom ·
embeds: the badge and the iframe snippet.
"""
