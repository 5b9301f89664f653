"""Forms of the revision pages: the revision editor and the choice of two revisions to compare."""

from django import forms

from . import languages
from .limits import MAX_ARTICLE_TEXT
from .services.revisions import text_problem


class RevisionForm(forms.Form):
    base = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    text = forms.CharField(
        strip=False,  # the stored text keeps its characters: offsets of claims are taken on it
        label="Article text",
        error_messages={"required": "Paste or edit the article text."},
        widget=forms.Textarea(attrs={"rows": 24, "class": "revision-text", "spellcheck": "false"}),
        help_text="The whole text of the new revision, as published. Claims are re-attached to it when you save.",
    )

    def __init__(self, *args, base_text: str = "", language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.base_text = base_text
        if language:  # the text is edited in its own language and direction (Arabic and Hebrew right to left)
            self.fields["text"].widget.attrs.update(lang=language, dir=languages.text_direction(language))

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text) > MAX_ARTICLE_TEXT:
            raise forms.ValidationError(text_problem(text))  # the service's message, before the text is copied
        # A browser submits every line break of a textarea as CRLF. A text stored with plain newlines gets them
        # back, or an untouched text would differ from its revision and every offset after a line break would move.
        if "\r" not in self.base_text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text


class RevisionCompareForm(forms.Form):
    """?from=&to= : two revision numbers of the article ("from" is a Python keyword, hence the fields dict)."""

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, f"revision {n}") for n in numbers]
        self.fields["from"] = forms.TypedChoiceField(choices=choices, coerce=int, label="From")
        self.fields["to"] = forms.TypedChoiceField(choices=choices, coerce=int, label="To")
        if len(numbers) > 1 and not self.is_bound:
            self.initial = {"from": numbers[-2], "to": numbers[-1]}
