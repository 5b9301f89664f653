"""Every write and every workflow transition. The web UI, the API, commands and tasks all come through here.

Functions are keyword-only. They raise PermissionDenied when the actor's role does not allow the action,
ValidationError (with a field name where there is one) for bad input, and Conflict for a stale version.
"""

from .accounts import account_create, role_assign, role_refusal, sponsors_of
from .approval import approval_fingerprint, changes_since_approval
from .articles import ImportResult, article_import, article_import_from_url, revision_add, text_sha256
from .assignments import UNSET, assign, assign_many, take
from .captures import (
    capture_recheck,
    capture_request,
    capture_retry,
    captures_due_for_recheck,
    captures_recover,
    fetch_policy,
)
from .checklist import Checklist, publication_checklist, publication_checklists, short_statement_problem
from .claims import claim_create, claim_update, evidence_add, review_lock_refusal
from .common import Conflict
from .lifecycle import (
    claim_restore,
    claim_withdraw,
    desk_refusal,
    evidence_refusal,
    evidence_remove,
    evidence_update,
    restore_refusal,
    verdict_correct,
    verdict_keep,
    verdict_unpublish,
    withdraw_refusal,
)
from .notifications import notification_read
from .notifications import preference_save as notification_preference_save
from .quotes import evidence_check_quote
from .reanchoring import (
    ReanchorResult,
    articles_to_reanchor,
    claim_reattach,
    reanchor_article,
    reanchor_on_commit,
    reanchor_sweep,
)
from .revisions import RevisionEditResult, article_refetch, revision_edit
from .second_reviews import (
    desk_settings_save,
    second_checker_assign,
    second_rating_save,
    second_review_switch,
    second_review_update,
)
from .sources import normalise_domain, source_save
from .verdicts import (
    ChecklistBlocked,
    has_contributed,
    sponsor_refusal,
    two_person_refusal,
    verdict_approve,
    verdict_create,
    verdict_publish,
    verdict_request_changes,
    verdict_save,
    verdict_submit,
)

__all__ = [
    "UNSET",
    "Checklist",
    "ChecklistBlocked",
    "Conflict",
    "ImportResult",
    "ReanchorResult",
    "RevisionEditResult",
    "account_create",
    "approval_fingerprint",
    "article_import",
    "article_import_from_url",
    "article_refetch",
    "articles_to_reanchor",
    "assign",
    "assign_many",
    "capture_recheck",
    "capture_request",
    "capture_retry",
    "captures_due_for_recheck",
    "captures_recover",
    "changes_since_approval",
    "claim_create",
    "claim_reattach",
    "claim_restore",
    "claim_update",
    "claim_withdraw",
    "desk_refusal",
    "desk_settings_save",
    "evidence_add",
    "evidence_check_quote",
    "evidence_refusal",
    "evidence_remove",
    "evidence_update",
    "fetch_policy",
    "has_contributed",
    "normalise_domain",
    "notification_preference_save",
    "notification_read",
    "publication_checklist",
    "publication_checklists",
    "reanchor_article",
    "reanchor_on_commit",
    "reanchor_sweep",
    "restore_refusal",
    "review_lock_refusal",
    "revision_add",
    "revision_edit",
    "role_assign",
    "role_refusal",
    "second_checker_assign",
    "second_rating_save",
    "second_review_switch",
    "second_review_update",
    "short_statement_problem",
    "source_save",
    "sponsor_refusal",
    "sponsors_of",
    "take",
    "text_sha256",
    "two_person_refusal",
    "verdict_approve",
    "verdict_correct",
    "verdict_create",
    "verdict_keep",
    "verdict_publish",
    "verdict_request_changes",
    "verdict_save",
    "verdict_submit",
    "verdict_unpublish",
    "withdraw_refusal",
]
