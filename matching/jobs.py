"""The corpus's Celery task names (matching.tasks, CELERY_TASK_ROUTES and CELERY_BEAT_SCHEDULE use the same), so that
the services which queue a refresh need not import the tasks that call them (see annotations.jobs)."""

REFRESH_FEEDS = "matching.tasks.refresh_feeds"
REFRESH_FEED = "matching.tasks.refresh_feed"
SYNC_OWN_FACTCHECKS = "matching.tasks.sync_own_factchecks"
EMBED_FACTCHECKS = "matching.tasks.embed_factchecks"
MATCH_CLAIM = "matching.tasks.match_claim"
MATCH_CLAIMS_SWEEP = "matching.tasks.match_claims_sweep"
