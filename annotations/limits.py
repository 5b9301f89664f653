"""How long each kind of text may be: written once, for the forms, the API's serializers, the W3C annotation
container and the services (which refuse an over-long value whichever way it came).

Column widths (a claimant, a source's name, a URL, a title) are the model fields' own `max_length`: read them with
`max_length(Model, "field")`. The limits here are for text columns, which the database does not bound.
"""

# The claimed passage (TextQuoteSelector exact): the same in the reader's form, the REST API and the W3C container.
MAX_CLAIM_LENGTH = 5_000
# An evidence quote is a passage of the source, checked against its capture; a note says why it matters.
MAX_QUOTE = 5_000
MAX_NOTE = 5_000  # an evidence note, a source's notes in the registry
MAX_EXPLANATION = 20_000  # a verdict's explanation
MAX_COMMENT = 5_000  # review comments, override reasons, withdrawal and unpublishing reasons, correction notes
MAX_QUERY = 200  # the words of a search, on the desk, the public list and the API
MAX_ARTICLE_TEXT = 2_000_000  # characters of a revision's text; the import's upload limit is 5 MB


def max_length(model, field: str) -> int:
    """The model field's max_length, so that a form or a serializer never allows more than the column holds."""
    return model._meta.get_field(field).max_length
