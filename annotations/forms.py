"""Forms check the shape of what the browser sends; the services decide what is allowed and record it."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name

from . import languages
from .importing import ImportFormatError, parse_article
from .limits import MAX_CLAIM_LENGTH, MAX_COMMENT, MAX_EXPLANATION, MAX_NOTE, MAX_QUERY, MAX_QUOTE, max_length
from .models import CLAIM_REVIEWED_MAX, CONTEXT_WIDTH, Article, Claim, Evidence, Rating, RatingScale, Source
from .storable_text import StorableJSONField
from .textquote import utf16_to_index

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class FormRenderer(TemplatesSetting):
    """The project's form renderer (settings.FORM_RENDERER): `{{ field.as_field_group }}` renders the site's field
    markup, the one the pages' CSS, scripts and browser tests rely on; widgets are Django's own templates."""

    field_template_name = "annotations/_field.html"


class LimitedCharField(forms.CharField):
    """Text with a limit that the page shows as a counter (data-maxlength, static/annotations/counter.js).

    No maxlength attribute: the browser would cut a long paste without a word. The server refuses an over-long
    value instead, with a message naming the field and its limit.
    """

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "maxlength" in attrs:
            attrs["data-maxlength"] = attrs.pop("maxlength")
        return attrs

    def get_bound_field(self, form, field_name):
        label = self.label or pretty_name(field_name)
        self.error_messages["max_length"] = f"{label} is at most %(limit_value)d characters (%(show_value)d given)."
        return super().get_bound_field(form, field_name)


class LimitedURLField(LimitedCharField, forms.URLField):
    pass


class ArticleSearchForm(forms.Form):
    q = LimitedCharField(required=False, max_length=MAX_QUERY, label="Search")
    outlet = forms.ModelChoiceField(queryset=Source.objects.all(), required=False, empty_label="Any outlet")
    status = forms.ChoiceField(choices=[("", "Any claim status"), *Claim.Status.choices], required=False)
    rating = forms.ModelChoiceField(queryset=Rating.objects.all(), required=False, empty_label="Any verdict")


class ArticleImportForm(forms.Form):
    file = forms.FileField(
        required=False, help_text="A file in the seed format (date YYYY-MM-DD URL, title, body), text or HTML."
    )
    title = LimitedCharField(required=False, max_length=max_length(Article, "title"))
    url = LimitedURLField(required=False, max_length=max_length(Article, "url"), assume_scheme="https", label="URL")
    outlet = forms.ModelChoiceField(queryset=Source.objects.all(), required=False, empty_label="From the URL")
    published_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    byline = LimitedCharField(required=False, max_length=max_length(Article, "byline"))
    language = forms.ChoiceField(
        required=False,
        choices=lambda: [("", "Detect from the text"), *languages.choices()],
        help_text="Sets the search language and the direction of the text (Arabic, Hebrew, … right to left).",
    )
    # dir=auto: pasted Arabic or Hebrew reads right to left while it is being pasted.
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 12, "dir": "auto"}), strip=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError({"file": "The file is larger than 5 MB."})
            try:
                parsed = parse_article(upload.read(), upload.name)
            except ImportFormatError as error:
                raise ValidationError({"file": f"{upload.name}: {error}."}) from None
            data["title"] = data.get("title") or parsed.title
            data["text"] = parsed.text
            data["url"] = data.get("url") or parsed.url
            data["published_date"] = data.get("published_date") or parsed.published_date
            data["origin"] = "file"
            return data
        if data.get("url") and not (data.get("title") or "").strip() and not (data.get("text") or "").strip():
            data["origin"] = "url"  # only a URL: a worker fetches the page and its text becomes the article
            return data
        errors = {}
        if not (data.get("title") or "").strip():
            errors["title"] = "Give the article a title (or upload a file, or give only a URL to fetch it)."
        if not (data.get("text") or "").strip():
            errors["text"] = "Paste the article text (or upload a file)."
        if errors:
            raise ValidationError(errors)
        # Pasted text keeps its characters; only Windows line endings become plain newlines.
        data["text"] = data["text"].replace("\r\n", "\n").replace("\r", "\n").strip("\n")
        data["origin"] = "pasted"
        return data


class SelectionForm(forms.Form):
    """A selection as the browser reports it: W3C TextPosition (in UTF-16 code units) and TextQuote selectors.

    The selectors travel as one JSON value (static/annotations/selection.js) because HTML form submission rewrites
    every newline in a field as CRLF, which would change the quote and its context.
    """

    revision = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    selectors = StorableJSONField(widget=forms.HiddenInput, max_length=60_000)

    def clean_selectors(self):
        return parse_selectors(self.cleaned_data["selectors"])

    def selection_on(self, text: str) -> dict:
        """start, end (as Python indices into `text`), exact, prefix and suffix; ValidationError if they don't fit."""
        selection = dict(self.cleaned_data["selectors"])
        try:
            # Browsers count UTF-16 code units; the stored offsets are Python code points.
            selection["start"] = utf16_to_index(text, selection["start"])
            selection["end"] = utf16_to_index(text, selection["end"])
        except ValueError as error:
            raise ValidationError(f"The selection offsets do not fit the article text ({error}).") from None
        return selection


class ClaimCreateForm(SelectionForm):
    claimant = LimitedCharField(
        required=False, max_length=max_length(Claim, "claimant"), help_text="Who made the claim"
    )
    claim_reviewed = LimitedCharField(
        required=False,
        max_length=CLAIM_REVIEWED_MAX,
        label="Short statement",
        help_text=f"The claim in at most {CLAIM_REVIEWED_MAX} characters",
    )

    @property
    def exact_preview(self) -> str:
        value = self.data.get("selectors") if self.is_bound else None
        try:
            # The field's own decoding, so that a preview never shows what the field refuses.
            return parse_selectors(self.fields["selectors"].to_python(value))["exact"] if value else ""
        except (ValueError, TypeError, ValidationError):
            return ""


def parse_selectors(value) -> dict:
    """Read a list of W3C selectors into start, end (UTF-16), exact, prefix and suffix, naming what is wrong."""
    if not isinstance(value, list):
        raise ValidationError("Expected a list of W3C selectors.")
    by_type = {item.get("type"): item for item in value if isinstance(item, dict)}
    position = by_type.get("TextPositionSelector")
    quote = by_type.get("TextQuoteSelector")
    if position is None or quote is None:
        raise ValidationError("Both a TextPositionSelector and a TextQuoteSelector are needed.")
    start, end = position.get("start"), position.get("end")
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 10_000_000 for n in (start, end)):
        raise ValidationError("TextPositionSelector start and end must be whole numbers from 0.")
    if end <= start:
        raise ValidationError("The selection is empty (end must be after start).")
    fields = {}
    # The service's limits: the quote as long as a claim, the context as the service accepts it (32 characters,
    # which a browser may count as up to 64 UTF-16 units).
    for name, limit in (("exact", MAX_CLAIM_LENGTH), ("prefix", 2 * CONTEXT_WIDTH), ("suffix", 2 * CONTEXT_WIDTH)):
        text = quote.get(name, "")
        if not isinstance(text, str) or len(text) > limit:
            raise ValidationError(f"TextQuoteSelector {name} must be text of at most {limit} characters.")
        fields[name] = text
    if not fields["exact"]:
        raise ValidationError("TextQuoteSelector exact is empty.")
    return {"start": start, "end": end, **fields}


class ClaimReattachForm(SelectionForm):
    claim = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class ClaimEditForm(forms.Form):
    claimant = LimitedCharField(required=False, max_length=max_length(Claim, "claimant"))
    claim_reviewed = LimitedCharField(required=False, max_length=CLAIM_REVIEWED_MAX, label="Short statement")


class EvidenceForm(forms.Form):
    url = LimitedURLField(max_length=max_length(Evidence, "url"), assume_scheme="https", label="Source URL")
    stance = forms.ChoiceField(choices=Evidence.Stance.choices)
    quote = LimitedCharField(
        required=False,
        max_length=MAX_QUOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The passage in the source",
    )
    note = LimitedCharField(required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2}))


def verdict_ratings():
    scale = RatingScale.objects.filter(is_default=True).first()
    return Rating.objects.filter(scale=scale) if scale else Rating.objects.all()


VERSION_MISSING = (
    "version: this form came without the version of the verdict you read, so a newer edit could be overwritten. "
    "Reload the page and try again."
)


class VersionedForm(forms.Form):
    """A form that changes an existing verdict: it must say which version the user read (the conflict check).

    The field is hidden, so its error is the form's own (shown above the form) and names the field. A verdict's
    first save has no version yet: `verdict_exists=False` lets it through (the view then passes version 0, which
    any verdict saved meanwhile does not match).
    """

    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, verdict_exists: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.verdict_exists = verdict_exists

    def clean(self):
        data = super().clean()
        if self.verdict_exists and data.get("version") is None and "version" not in self.errors:
            raise ValidationError(VERSION_MISSING, code="version_missing")
        return data


class VerdictForm(VersionedForm):
    rating = forms.ModelChoiceField(queryset=Rating.objects.none(), empty_label="Choose a rating")
    explanation = LimitedCharField(max_length=MAX_EXPLANATION, widget=forms.Textarea(attrs={"rows": 6}))
    field_order = ["rating", "explanation", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].queryset = verdict_ratings()


class TransitionForm(VersionedForm):
    comment = LimitedCharField(required=False, max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 2}))
    override = LimitedCharField(required=False, max_length=MAX_COMMENT, label="Reason to override the blockers")
    # Approve and publish are posted deliberately: the confirmation dialog (or, without JavaScript, a checkbox
    # beside the checklist) sets it.
    confirm = forms.BooleanField(required=False)


class SourceForm(forms.Form):
    name = LimitedCharField(max_length=max_length(Source, "name"))
    domain = LimitedCharField(
        max_length=max_length(Source, "domain"), help_text="e.g. sipri.org; sub-domains match it"
    )
    kind = forms.ChoiceField(choices=Source.Kind.choices)
    reliability = forms.ChoiceField(choices=Source.Reliability.choices)
    notes = LimitedCharField(required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3}))
    blocked = forms.BooleanField(required=False, help_text="Refuse evidence that cites this domain")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class SecondRatingForm(forms.Form):
    """The second checker's independent rating: the verdicts' scale, and an optional note of why."""

    rating = forms.ModelChoiceField(queryset=Rating.objects.none(), empty_label="Choose a rating", label="Your rating")
    explanation = LimitedCharField(
        required=False, max_length=MAX_EXPLANATION, widget=forms.Textarea(attrs={"rows": 3}), label="Why (optional)"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "second_%s")  # beside the verdict form's rating and explanation in the panel
        super().__init__(*args, **kwargs)
        self.fields["rating"].queryset = verdict_ratings()
