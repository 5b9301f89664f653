"""A dashboard section's table as a CSV file: UTF-8 with a BOM, formula-like cells quoted (the desk's CSV cells)."""

import datetime

from django.http import HttpResponse

from annotations.api.export import BOM, csv_line
from annotations.webannotation import absolute

from .figures import Link, Table


def _value(value):
    if isinstance(value, Link):
        return value.text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_rows(table: Table) -> list[list]:
    """The header and the rows (the totals row last); a column of links gets a column of their URLs beside it."""
    rows = [*table.rows, *([table.footer] if table.footer else [])]
    linked = {i for row in rows for i, value in enumerate(row) if isinstance(value, Link)}
    header = []
    for i, name in enumerate(table.columns):
        header += [name, f"{name} URL"] if i in linked else [name]
    lines = [header]
    for row in rows:
        line = []
        for i, value in enumerate(row):
            line.append(_value(value))
            if i in linked:
                line.append(absolute(value.url) if isinstance(value, Link) else "")
        lines.append(line)
    return lines


def csv_response(table: Table, filename: str) -> HttpResponse:
    body = BOM + "".join(csv_line(row) for row in csv_rows(table))
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
