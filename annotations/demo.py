"""Demo data for `make run`: the seed article, the accounts, a rating scale, registry entries and a worked example,
published, so that a newcomer's public home page shows a fact-check.

Idempotent: every object is looked up before it is created, so running it twice adds nothing. Data from an older
demo, which left the worked example in review, is brought up to date: approved and published by the demo reviewer.
"""

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from . import roles, services
from .importing import parse_article
from .models import Activity, ArticleRevision, Claim, Evidence, Rating, RatingScale, Source, Verdict

SEED_FILE = Path(__file__).parent / "demo_data" / "seed_article.txt"

# Demo only: these accounts exist to try the workflow locally and are printed by `make run`.
DEMO_ACCOUNTS = [
    ("editor", "editor-demo-2025", roles.EDITORS),
    ("editor2", "editor2-demo-2025", roles.EDITORS),
    ("reviewer", "reviewer-demo-2025", roles.REVIEWERS),
    ("admin", "admin-demo-2025", roles.ADMINS),
]

DEFAULT_SCALE = [
    # (label, value, description)
    ("False", 1, "The claim is inaccurate."),
    ("Mostly false", 2, "The claim has an element of truth but ignores facts that would give a different impression."),
    ("Half true", 3, "The claim is partially accurate but leaves out important details."),
    ("Mostly true", 4, "The claim is accurate but needs clarification or additional information."),
    ("True", 5, "The claim is accurate and nothing significant is missing."),
    ("Misleading", None, "Accurate facts presented so as to give a false impression."),
    ("Unproven", None, "The evidence available neither supports nor refutes the claim."),
]

SOURCES = [
    (
        "Sputnik",
        "sputnikglobe.com",
        Source.Kind.STATE_MEDIA,
        Source.Reliability.LOW,
        "Russian state-owned news agency.",
    ),
    (
        "Stockholm International Peace Research Institute (SIPRI)",
        "sipri.org",
        Source.Kind.RESEARCH,
        Source.Reliability.HIGH,
        "Independent institute; maintains the Arms Transfers Database.",
    ),
]

CLAIM_TEXT = "Russia continues to be among the top five arms exporters in the world"
EVIDENCE_URL = "https://www.sipri.org/publications/2025/sipri-fact-sheets/trends-international-arms-transfers-2024"
EVIDENCE_QUOTE = (
    "The five largest arms exporters in 2020–24 were the United States, France, Russia, China and Germany."
)
EVIDENCE_NOTE = (
    "SIPRI Fact Sheet 'Trends in International Arms Transfers, 2024' (March 2025): shares of global exports in "
    "2020-24 were United States 43%, France 9.6%, Russia 7.8%, China 5.9%, Germany 5.6%. Russia's arms exports fell "
    "by 64% between 2015-19 and 2020-24, and it dropped to third place."
)
VERDICT_EXPLANATION = (
    "True. SIPRI's data for 2020-24 rank Russia third among the world's arms exporters, behind the United States "
    "and France, so it is among the top five. Context: Russia's exports fell by 64% compared with 2015-19 and its "
    "share of the global total is now 7.8%, down sharply from earlier years."
)


@dataclass
class DemoResult:
    accounts: list[tuple[str, str, str]]
    created: dict[str, int]


def load_demo() -> DemoResult:
    created = {"users": 0, "sources": 0, "ratings": 0, "articles": 0, "claims": 0, "published": 0}
    with transaction.atomic():
        users = {}
        User = get_user_model()
        for username, password, role in DEMO_ACCOUNTS:
            user, made = User.objects.get_or_create(username=username, defaults={"is_staff": role == roles.ADMINS})
            if made:
                user.set_password(password)
                user.save()
                created["users"] += 1
            services.role_assign(user=user, role=role)
            users[username] = user

        scale, created["ratings"] = load_rating_scale()
        created["sources"] = load_sources()
        result = import_seed_article()
        created["articles"] += result.article_created
        claim = Claim.objects.filter(article=result.article, exact=CLAIM_TEXT).first()
        if claim is None:
            claim = _worked_example(result.revision, users, scale)
            created["claims"] += 1
        created["published"] += _publish_worked_example(claim, users["reviewer"])
    return DemoResult(accounts=[(u, p, r) for u, p, r in DEMO_ACCOUNTS], created=created)


def load_rating_scale() -> tuple[RatingScale, int]:
    scale, _ = RatingScale.objects.get_or_create(name="Truth-O-Meter (5 levels)", defaults={"is_default": True})
    made = 0
    for position, (label, value, description) in enumerate(DEFAULT_SCALE, start=1):
        _, new = Rating.objects.get_or_create(
            scale=scale, label=label, defaults={"value": value, "position": position, "description": description}
        )
        made += new
    return scale, made


def load_sources() -> int:
    made = 0
    for name, domain, kind, reliability, notes in SOURCES:
        _, new = Source.objects.get_or_create(
            domain=domain, defaults={"name": name, "kind": kind, "reliability": reliability, "notes": notes}
        )
        made += new
    return made


def import_seed_article() -> services.ImportResult:
    parsed = parse_article(SEED_FILE.read_bytes(), SEED_FILE.name)
    return services.article_import(
        actor=None,
        title=parsed.title,
        text=parsed.text,
        url=parsed.url,
        published_date=parsed.published_date,
        origin=ArticleRevision.Origin.FILE,
    )


def _worked_example(revision, users, scale) -> Claim:
    start = revision.text.index(CLAIM_TEXT)
    claim = services.claim_create(
        actor=users["editor"],
        revision=revision,
        start=start,
        end=start + len(CLAIM_TEXT),
        exact=CLAIM_TEXT,
        claimant="Vladimir Putin",
        claim_reviewed="Russia is among the top five arms exporters in the world",
    )
    services.evidence_add(
        actor=users["editor"],
        claim=claim,
        url=EVIDENCE_URL,
        stance=Evidence.Stance.SUPPORTS,
        quote=EVIDENCE_QUOTE,
        note=EVIDENCE_NOTE,
    )
    verdict = services.verdict_save(
        actor=users["editor"], claim=claim, rating=scale.ratings.get(label="True"), explanation=VERDICT_EXPLANATION
    )
    services.verdict_submit(actor=users["editor"], verdict=verdict)
    return claim


REVIEW_ACTIONS = ["verdict_approved", "verdict_changes_requested", "verdict_published", "verdict_unpublished"]


def _publish_worked_example(claim: Claim, reviewer) -> int:
    """The reviewer approves and publishes the editor's verdict (two people, as the workflow wants); 1 if done.

    Only a verdict no reviewer has touched yet moves on: what someone did with the example while trying the app
    (sent it back, unpublished it) stays as they left it.
    """
    verdict = Verdict.objects.filter(claim=claim).first()
    if verdict is None or verdict.status != Verdict.Status.IN_REVIEW:
        return 0
    if Activity.objects.filter(verdict=verdict, action__in=REVIEW_ACTIONS).exists():
        return 0
    verdict = services.verdict_approve(
        actor=reviewer, verdict=verdict, comment="Checked against the SIPRI fact sheet: the rating and context hold."
    )
    services.verdict_publish(actor=reviewer, verdict=verdict)
    return 1
