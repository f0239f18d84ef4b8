"""Deterministic synthetic pledges in the interchange CSV, for benchmarks.

    python bench/datagen.py --rows 100000 --out /tmp/pledges.csv [--news-base http://127.0.1.1:18081]

Shaped like real data: a few companies make many pledges, 0-3 places, 1-4 sources each,
most pledges rated, some figures unknown. The same --seed gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from pledges.interchange import COLUMNS  # noqa: E402

STATES = [
    "AL",
    "AZ",
    "CA",
    "CO",
    "FL",
    "GA",
    "IL",
    "IN",
    "KY",
    "MI",
    "MN",
    "MO",
    "NC",
    "NJ",
    "NY",
    "OH",
    "PA",
    "SC",
    "TN",
    "TX",
    "VA",
    "WA",
    "WI",
]
STATUSES = (
    ["announced"] * 5
    + ["in_progress"] * 3
    + [
        "stalled",
        "partially_kept",
        "partially_kept",
        "kept",
        "kept",
        "broken",
        "withdrawn",
        "superseded",
        "unverifiable",
    ]
)
KINDS = ["direct"] * 6 + ["indirect", "indirect", "retained", "unspecified", "unspecified"]
NOUNS = [
    "plant",
    "factory",
    "warehouse",
    "campus",
    "data center",
    "assembly line",
    "semiconductor fab",
    "headquarters",
    "distribution hub",
    "research lab",
    "battery plant",
    "call center",
]
SYLLABLES = [
    "al",
    "ba",
    "co",
    "de",
    "fi",
    "ga",
    "ho",
    "in",
    "ja",
    "ka",
    "lo",
    "ma",
    "no",
    "pe",
    "ra",
    "su",
    "ti",
    "vo",
    "wa",
    "yo",
    "zu",
]
MADE_TO = [
    "",
    "",
    "Donald Trump (President-elect)",
    "Donald Trump (President)",
    "Joe Biden (President)",
    "State of Wisconsin",
    "Governor of Ohio",
]


def rows(count: int, seed: int, news_base: str) -> list[list[str]]:
    rng = random.Random(seed)
    companies = sorted(
        {
            "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
            + rng.choice([" Inc.", " Corp.", " Group", " Motors", " Holdings"])
            for _ in range(max(10, count // 20))
        }
    )
    start = dt.date(2016, 11, 9)
    article = 0
    out = []
    for i in range(count):
        company = (
            companies[min(int(rng.paretovariate(1.2)), len(companies)) - 1]
            if rng.random() < 0.3
            else rng.choice(companies)
        )
        announced = start + dt.timedelta(days=rng.randrange(3000))
        jobs = str(int(rng.lognormvariate(6.5, 1.6))) if rng.random() < 0.9 else ""
        investment = str(int(rng.lognormvariate(19, 1.8))) if rng.random() < 0.6 or not jobs else ""
        years = rng.choice([0, 1, 2, 3, 5, 5, 10])
        deadline = (announced + dt.timedelta(days=365 * years)).isoformat() if years else ""
        status = rng.choice(STATUSES)
        status_on = (
            ""
            if status == "announced"
            else (announced + dt.timedelta(days=rng.randrange(30, 2000))).isoformat()
        )
        places = "; ".join(f"US-{s}" for s in rng.sample(STATES, rng.choice([0, 1, 1, 2, 3])))
        noun = rng.choice(NOUNS)
        urls = []
        for _ in range(rng.randint(1, 4)):
            article += 1
            urls.append(f"{news_base}/story/{article}.html")
        out.append(
            [
                f"B{i + 1:07d}",
                company,
                "US",
                f"{company} pledges {jobs or 'new'} jobs at a {noun}",
                announced.isoformat(),
                "Chief Executive",
                rng.choice(MADE_TO),
                jobs,
                rng.choice(KINDS),
                investment,
                places,
                deadline,
                status,
                status_on,
                f"{company} announced a {noun}{' in ' + places if places else ''}.",
                " ".join(urls),
            ]
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--news-base", default="https://news.example.org")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows(args.rows, args.seed, args.news_base.rstrip("/")))
    print(args.out)


if __name__ == "__main__":
    main()
