import json

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# The same escapes as Django's json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def ld_json(value) -> str:
    """Serialise `value` for a <script type="application/ld+json"> element."""
    return mark_safe(json.dumps(value, ensure_ascii=False, indent=2).translate(_JSON_ESCAPES))  # noqa: S308
