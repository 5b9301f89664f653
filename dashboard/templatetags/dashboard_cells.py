"""How a table cell of the dashboard reads on the page (the CSV writes the raw value: dashboard/export.py)."""

import datetime

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from annotations.templatetags.factcheck import text_direction

from ..figures import Link, Month, Week

register = template.Library()


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def cell(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, Link):
        return format_html(
            '<a href="{}" lang="{}" dir="{}">{}</a>',
            value.url,
            value.language,
            text_direction(value.language),
            value.text if len(value.text) <= 100 else value.text[:99] + "…",
        )
    if isinstance(value, Week | Month):
        return str(value)
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    return value
