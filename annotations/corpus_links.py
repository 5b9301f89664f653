"""A claim's links into the fact-check corpus, read through reverse relations only.

The corpus (the `matching` app) builds on the desk, never the other way: annotations does not import it (pyproject's
import-linter contract). Its models point at Claim and name their reverse relations, which the desk reads by name
to show them:
- `claim.same_as`: an editor's word that the claim is the same claim as a fact-check of the corpus (matching's
  SameClaim: fact_check, linked_by, linked_at), shown in the reader, in the claim's API document and, once
  published, in its ClaimReview (itemReviewed.sameAs);
- `claim.best_match`: the best of our own published fact-checks of other claims for this claim, as a worker last
  found it (matching's ClaimMatch: fact_check, score, `is_repeat`), the reader's "Already checked" flag.
Those names, and the tables behind them (for the row versions that key the desk's caches), are kept here only.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from .models import Claim

SAME_AS = "same_as"
BEST_MATCH = "best_match"
# What the reader and the API read along with each claim (LEFT JOINs: no query of their own); the reader's paths
# both end at a fact-check.
FOR_READER = (f"{SAME_AS}__fact_check", f"{BEST_MATCH}__fact_check")
FOR_API = (f"{SAME_AS}__fact_check", f"{SAME_AS}__linked_by")


def unread(*fact_check_paths: str) -> list[str]:
    """The columns of the fact-checks at these paths that the desk never shows (to defer): vector and search text."""
    return [f"{path}__{column}" for path in fact_check_paths for column in ("embedding", "search")]


def same_as(claim: Claim):
    """The claim's same-claim link (with its fact_check), or None."""
    try:
        return getattr(claim, SAME_AS)
    except ObjectDoesNotExist:
        return None


def same_as_url(claim: Claim) -> str | None:
    """The URL of the fact-check the claim is the same claim as, or None."""
    link = same_as(claim)
    return link.fact_check.url if link is not None else None


def tables() -> dict[str, str]:
    """The tables of the links and of the corpus they point at, from the reverse relations' models."""
    same_as_model = Claim._meta.get_field(SAME_AS).related_model
    best_match_model = Claim._meta.get_field(BEST_MATCH).related_model
    fact_check_model = same_as_model._meta.get_field("fact_check").related_model
    return {
        "same_as": same_as_model._meta.db_table,
        "best_match": best_match_model._meta.db_table,
        "fact_check": fact_check_model._meta.db_table,
    }


def same_as_version_sql(claim: str, version, user_table: str | None = None) -> str:
    """SQL for the versions of the rows behind a claim's link: the link and its fact-check, and who linked it when
    `user_table` is given. `claim` is the claim row's alias; `version` makes a row version's SQL from an alias."""
    t = tables()
    user = ""
    if user_table is not None:
        user = f""" || coalesce((SELECT {version("sau")} FROM "{user_table}" sau
                                  WHERE sau.id = sa.linked_by_id), '')"""  # noqa: S608 - a table name
    return f"""coalesce((SELECT {version("sa")} || coalesce({version("saf")}, ''){user}
                    FROM "{t["same_as"]}" sa LEFT JOIN "{t["fact_check"]}" saf ON saf.id = sa.fact_check_id
                    WHERE sa.claim_id = {claim}.id), '')"""  # noqa: S608 - table names from the models only


def best_match_version_sql(claim: str, version) -> str:
    """SQL for the versions of a claim's best match and its fact-check (as same_as_version_sql)."""
    t = tables()
    return f"""coalesce((SELECT {version("bm")} || coalesce({version("bmf")}, '')
                    FROM "{t["best_match"]}" bm LEFT JOIN "{t["fact_check"]}" bmf ON bmf.id = bm.fact_check_id
                    WHERE bm.claim_id = {claim}.id), '')"""  # noqa: S608 - table names from the models only
