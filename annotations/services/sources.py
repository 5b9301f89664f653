"""The source registry (admins only)."""

from django.core.exceptions import ValidationError

from .. import roles
from ..limits import MAX_NOTE
from ..models import Source
from ..selectors import host_of
from .common import record, require, too_long


def normalise_domain(value: str) -> str:
    """Accept 'sipri.org', 'www.sipri.org' or a whole URL; keep the lower-case host without 'www.'."""
    value = (value or "").strip().lower()
    host = host_of(value) if "://" in value else value.split("/")[0]
    host = host.removeprefix("www.").rstrip(".")
    if not host or " " in host or "." not in host or ":" in host:
        raise ValidationError({"domain": f"{value!r} is not a domain name (expected something like sipri.org)."})
    try:
        host.encode("idna")
    except UnicodeError:
        raise ValidationError({"domain": f"{value!r} is not a valid domain name."}) from None
    return host


SOURCE_FIELDS = ("name", "domain", "kind", "reliability", "notes", "blocked")


def source_save(*, actor, source: Source | None = None, **fields) -> Source:
    """Create a registry entry, or update `source` with the given fields. Admins only."""
    require(actor, *roles.MANAGE_SOURCES)
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown field."))
    if "domain" in fields:
        fields["domain"] = normalise_domain(fields["domain"])
    too_long("notes", "The notes", fields.get("notes") or "", MAX_NOTE)
    source = source or Source()
    for name, value in fields.items():
        setattr(source, name, value)
    source.full_clean(validate_constraints=False)
    if Source.objects.filter(domain=source.domain).exclude(pk=source.pk).exists():
        raise ValidationError({"domain": f"{source.domain} is already in the registry."})
    created = source.pk is None
    source.save()
    record(actor=actor, action="source_created" if created else "source_updated", comment=str(source))
    return source
