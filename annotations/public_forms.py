"""The public list's search form: words over published fact-checks and a rating filter."""

from django import forms

from .forms import LimitedCharField
from .limits import MAX_QUERY
from .models import Rating, Verdict

MAX_SEARCH_WORDS = 10


class PublicSearchForm(forms.Form):
    q = LimitedCharField(required=False, max_length=MAX_QUERY, label="Search")
    rating = forms.ModelChoiceField(
        # Only ratings that some published fact-check carries: a filter that can only find nothing is noise.
        queryset=Rating.objects.filter(verdicts__status=Verdict.Status.PUBLISHED).distinct().order_by("position"),
        required=False,
        empty_label="Any rating",
        error_messages={"invalid_choice": "Rating: choose one of the ratings in the list."},
    )

    def clean_q(self) -> list[str]:
        """The search as words, each of which must appear (in the statement, the claimant or the explanation)."""
        words = self.cleaned_data["q"].split()
        if len(words) > MAX_SEARCH_WORDS:
            raise forms.ValidationError(f"Search takes at most {MAX_SEARCH_WORDS} words ({len(words)} given).")
        return words
