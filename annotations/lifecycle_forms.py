"""Forms of the lifecycle actions (withdraw, evidence edit, unpublish, correct, keep); the services decide."""

from django import forms

from .forms import EvidenceForm, LimitedCharField, VersionedForm, verdict_ratings
from .limits import MAX_COMMENT, MAX_EXPLANATION
from .models import Evidence, Rating


def _text(label: str, help_text: str = "", required: bool = True, rows: int = 2, limit: int = MAX_COMMENT):
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


class EvidenceEditForm(EvidenceForm):
    """The add-evidence form, filled in with one piece of evidence (prefixed: a panel lists several)."""

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
    explanation = _text("New explanation", "Leave empty to keep the explanation.", False, 4, MAX_EXPLANATION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].queryset = verdict_ratings()


class KeepForm(VersionedForm):
    comment = _text("Why the fact-check still stands")
