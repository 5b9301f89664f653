"""Helpers shared by the API tests: signed-in clients and a claim taken through the whole workflow."""

from annotations import services

from . import factories

QUOTE = "among the top five arms exporters in the world"


def client_for(user=None):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
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
