"""Helpers shared by the API tests: signed-in clients and a claim taken through the whole workflow."""

from annotations import services

from . import factories

QUOTE = "among the top five arms exporters in the world"


_TOKENS: dict[int, str] = {}


def token_for(user) -> str:
    """An API token of `user` (knox keeps only digests, so the token itself is remembered here, per user)."""
    from knox.models import AuthToken

    token = _TOKENS.get(user.pk)
    if token is None or not AuthToken.objects.filter(user=user, token_key=token[:15]).exists():
        token = AuthToken.objects.create(user=user)[1]
        _TOKENS[user.pk] = token
    return token


def client_for(user=None):
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def make_claim(editor, revision, quote=QUOTE, **fields):
    return factories.make_claim(revision, editor, quote, **fields)


def make_published(editor, reviewer, revision, rating, quote=QUOTE):
    claim = make_claim(
        editor,
        revision,
        quote,
        claimant="Vladimir Putin",
        claim_reviewed="Russia is among the top five arms exporters",
    )
    services.evidence_add(
        actor=editor, claim=claim, url="https://www.sipri.org/x", stance="supports", quote="Russia was third", note="n"
    )
    verdict = services.verdict_save(actor=editor, claim=claim, rating=rating, explanation="True, with context.")
    verdict = services.verdict_submit(actor=editor, verdict=verdict)
    verdict = services.verdict_approve(actor=reviewer, verdict=verdict)
    return services.verdict_publish(actor=reviewer, verdict=verdict)
