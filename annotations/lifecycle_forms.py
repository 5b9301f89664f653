"""Forms of the lifecycle actions (withdraw, evidence edit, unpublish, correct, keep); the services decide."""

from django import forms

from .forms import LimitedCharField, LimitedURLField, VersionedForm, verdict_ratings
from .models import Evidence, Rating

MAX_REASON = 5000


def _text(label: str, help_text: str = "", required: bool = True, rows: int = 2, limit: int = MAX_REASON):
    # A counter and a refusal with a message instead of a maxlength that cuts a long paste silently.
    return LimitedCharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class WithdrawForm(forms.Form):
    reason = _text("Why withdraw it?", "A duplicate, a mistake… Kept in the history.")


class EvidenceEditForm(forms.Form):
    url = LimitedURLField(max_length=2000, assume_scheme="https", label="Source URL")
    stance = forms.ChoiceField(choices=Evidence.Stance.choices)
    quote = _text("Quote", "The passage in the source", required=False, rows=3)
    note = _text("Note", required=False)

    def __init__(self, *args, evidence: Evidence, **kwargs):
        kwargs.setdefault("prefix", f"evidence-{evidence.pk}")
        if not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {"url": evidence.url, "stance": evidence.stance, "quote": evidence.quote, "note": evidence.note},
            )
        super().__init__(*args, **kwargs)
        self.evidence = evidence


class UnpublishForm(VersionedForm):
    reason = _text("Reason for unpublishing", "Readers see it on the withdrawn page.")


class CorrectionForm(VersionedForm):
    note = _text("Correction note", "Shown to readers with today's date.", rows=3)
    rating = forms.ModelChoiceField(
        queryset=Rating.objects.none(), required=False, empty_label="Keep the rating", label="New rating"
    )
    explanation = _text("New explanation", "Leave empty to keep the explanation.", False, 4, 20_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].queryset = verdict_ratings()


class KeepForm(VersionedForm):
    comment = _text("Why the fact-check still stands")
