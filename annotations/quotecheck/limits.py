"""The quote check's bounds: how far an ellipsis may skip, how many words brackets may stand for, how many edits and
candidate passages are followed, and the shares that separate a misquote from a look-alike."""

# An ellipsis may skip at most this many characters of the source. News paragraphs run 200-600 characters: an
# ellipsis that jumps further stitches together separate statements, which readers would not take for one quote.
ELLIPSIS_GAP = 600
# Source words one bracketed word may stand for: "[Russia's]" for "Its", "[the agreement]" for "the deal they
# signed". Beyond that the brackets would be rewriting the quote rather than clarifying it.
BRACKET_WORDS_PER_WORD = 2
BRACKET_SLACK = 2
MAX_BRACKET_WORDS = 12
# Brackets and ellipses the faithful matcher follows in one quote.
MAX_EDITS = 32
# Source words looked at beyond each end of the edlib hit, so that a word cut by its loose alignment is still seen.
EDGE_WORDS = 3
# A passage keeping no more than this share of the words is a look-alike, not a misquote of the quote.
MIN_KEPT_SHARE = 0.5
# Share of the score kept by a quote whose parts are all in the source, but in another order.
OUT_OF_ORDER_CREDIT = 0.75
# Alternative edlib hits (distinct starts) whose word diffs are compared to pick the closest passage.
MAX_CANDIDATES = 4
# An omitted stretch longer than this is shown by its ends only.
SHOWN_GAP_WORDS = 12
