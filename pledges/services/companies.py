"""Companies: finding one by any of its spellings, creating one with a free slug."""

from __future__ import annotations

from django.utils.text import slugify

from pledges.models import Company, CompanyAlias


def name_key(name: str) -> str:
    """How names are compared: case-insensitive, white space collapsed."""
    return " ".join(name.split()).casefold()


def company_index() -> dict[str, Company]:
    """Every company by the `name_key` of its name and of each alias (two queries)."""
    index: dict[str, Company] = {}
    companies = {c.pk: c for c in Company.objects.all()}
    for company in companies.values():
        index[name_key(company.name)] = company
    for alias_name, company_id in CompanyAlias.objects.values_list("name", "company_id"):
        index.setdefault(name_key(alias_name), companies[company_id])
    return index


def free_slug(base: str, taken: set[str], *, max_length: int = 200) -> str:
    """`base` slugified, with `-2`, `-3`... appended while taken; the result is added to taken."""
    root = (slugify(base) or "company")[:max_length]
    slug, n = root, 1
    while slug in taken:
        n += 1
        slug = f"{root}-{n}"
    taken.add(slug)
    return slug


def company_search_text(company: Company, aliases: list[str]) -> str:
    return " ".join([company.name, *aliases])
