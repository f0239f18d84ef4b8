"""Companies: finding one by any of its spellings, creating one with a free slug."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from pledges.models import Company, CompanyAlias, Pledge, Suggestion
from pledges.services.pledges import pledge_refresh_search_text


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


def company_ids_by_key() -> dict[str, int]:
    """`company_index` as ids, without building a model instance per company (two queries)."""
    index: dict[str, int] = {}
    for company_id, name in Company.objects.values_list("id", "name"):
        index[name_key(name)] = company_id
    for alias_name, company_id in CompanyAlias.objects.values_list("name", "company_id"):
        index.setdefault(name_key(alias_name), company_id)
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


@transaction.atomic
def company_merge(
    *, target: Company, duplicates: Iterable[Company], user: AbstractBaseUser | None = None
) -> Company:
    """Merge duplicate companies into `target`, keeping every trace of them.

    Their pledges and suggestions move to `target`; their names and aliases become aliases of
    `target` (spellings `target` already answers to are skipped); then they are deleted. Every
    moved pledge, new alias and deleted company gets a history entry by `user`, and the search
    text of all of `target`'s pledges is refreshed so they are found by the old names too.
    """
    reason = f"merged into {target.name} (#{target.pk})"[:100]
    others = [c for c in duplicates if c.pk != target.pk]
    if not others:
        return target
    other_ids = [c.pk for c in others]
    known = {name_key(target.name)} | {
        name_key(a) for a in target.aliases.values_list("name", flat=True)
    }
    spellings: list[str] = []
    for company in others:
        spellings.append(company.name)
        spellings.extend(company.aliases.order_by("name").values_list("name", flat=True))
    # Aliases are unique across companies: drop the old rows before re-creating them on target.
    for alias in CompanyAlias.objects.filter(company_id__in=other_ids):
        alias._history_user = user  # type: ignore[attr-defined]
        alias._change_reason = reason  # type: ignore[attr-defined]
        alias.delete()
    for spelling in spellings:
        if name_key(spelling) in known:
            continue
        known.add(name_key(spelling))
        alias = CompanyAlias(company=target, name=spelling)
        alias._history_user = user  # type: ignore[attr-defined]
        alias._change_reason = reason  # type: ignore[attr-defined]
        alias.full_clean(validate_constraints=False)
        alias.save()
    moved = list(Pledge.objects.filter(company_id__in=other_ids).select_related("company"))
    for pledge in moved:
        pledge.company = target
        pledge._history_user = user  # type: ignore[attr-defined]
        pledge._change_reason = reason  # type: ignore[attr-defined]
        pledge.save(update_fields=["company", "updated_at"])
    Suggestion.objects.filter(company_id__in=other_ids).update(company=target)
    for company in others:
        company._history_user = user  # type: ignore[attr-defined]
        company._change_reason = reason  # type: ignore[attr-defined]
        company.delete()
    target._history_user = user  # type: ignore[attr-defined]
    target._change_reason = f"absorbed {', '.join(c.name for c in others)}"[:100]
    target.save(update_fields=["updated_at"])
    # The target answers to new names now: all its pledges, not only the moved ones.
    for pledge in Pledge.objects.filter(company=target).select_related("company"):
        pledge_refresh_search_text(pledge=pledge)
    return target
