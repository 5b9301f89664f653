"""Each limit is written once (annotations.limits, or the model column's max_length) and the same on every path."""

import pytest
from django.core.exceptions import ValidationError

from annotations import forms, limits, services, webannotation
from annotations.api import serializers
from annotations.models import Claim

from .api_support import client_for
from .factories import add_evidence, make_claim

pytestmark = pytest.mark.django_db


def test_the_claimant_limit_is_the_model_columns_in_the_forms_the_api_and_the_service(editor, revision):
    limit = Claim._meta.get_field("claimant").max_length
    assert forms.ClaimCreateForm().fields["claimant"].max_length == limit
    assert forms.ClaimEditForm().fields["claimant"].max_length == limit
    assert serializers.ClaimCreateSerializer().fields["claimant"].max_length == limit
    assert serializers.ClaimUpdateSerializer().fields["claimant"].max_length == limit
    make_claim(revision, editor, claimant="c" * limit)
    with pytest.raises(ValidationError) as error:
        make_claim(revision, editor, quote="Russia", claimant="c" * (limit + 1))
    assert error.value.message_dict["claimant"] == [f"The claimant is at most {limit} characters ({limit + 1} given)."]


def test_a_claim_is_as_long_in_the_reader_form_as_in_the_api_the_w3c_container_and_the_service():
    assert serializers.ClaimCreateSerializer().fields["exact"].max_length == limits.MAX_CLAIM_LENGTH
    quote = {"type": "TextQuoteSelector", "exact": "x" * (limits.MAX_CLAIM_LENGTH + 1)}
    position = {"type": "TextPositionSelector", "start": 0, "end": limits.MAX_CLAIM_LENGTH + 1}
    with pytest.raises(ValidationError, match=f"at most {limits.MAX_CLAIM_LENGTH} characters"):
        forms.parse_selectors([position, quote])
    with pytest.raises(ValidationError, match=f"A claim is at most {limits.MAX_CLAIM_LENGTH} characters"):
        webannotation._quote(quote)
    assert forms.parse_selectors([position, {**quote, "exact": "x" * limits.MAX_CLAIM_LENGTH}])


def test_an_evidence_quote_over_the_limit_is_refused_by_the_api_as_by_the_web_form_and_the_service(editor, revision):
    claim = make_claim(revision, editor)
    long_quote = "q" * (limits.MAX_QUOTE + 1)
    assert forms.EvidenceForm().fields["quote"].max_length == limits.MAX_QUOTE
    data = {"claim": claim.pk, "url": "https://www.sipri.org/x", "stance": "supports", "quote": long_quote}
    response = client_for(editor).post("/api/evidence/", data, format="json")
    assert response.status_code == 400 and "quote" in response.json()
    with pytest.raises(ValidationError) as error:
        add_evidence(claim, editor, quote=long_quote)
    assert error.value.message_dict["quote"] == [
        f"The quote is at most {limits.MAX_QUOTE} characters ({limits.MAX_QUOTE + 1} given)."
    ]
    evidence = add_evidence(claim, editor, quote="q" * limits.MAX_QUOTE)
    with pytest.raises(ValidationError) as error:
        services.evidence_update(actor=editor, evidence=evidence, note="n" * (limits.MAX_NOTE + 1))
    assert list(error.value.message_dict) == ["note"]


def test_a_sources_notes_have_one_limit_on_the_web_in_the_api_and_in_the_service(admin_user):
    assert forms.SourceForm().fields["notes"].max_length == limits.MAX_NOTE
    assert serializers.SourceWriteSerializer().fields["notes"].max_length == limits.MAX_NOTE
    with pytest.raises(ValidationError) as error:
        services.source_save(actor=admin_user, name="SIPRI", domain="sipri.org", notes="n" * (limits.MAX_NOTE + 1))
    assert list(error.value.message_dict) == ["notes"]
