"""The source registry: outlets and the domains evidence cites, with their kind and reliability."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class Source(models.Model):
    class Kind(models.TextChoices):
        PRIMARY_DATA = "primary_data", "Primary data"
        GOVERNMENT = "government", "Government"
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental"
        RESEARCH = "research", "Academic / research institute"
        NEWS_MEDIA = "news_media", "News media"
        STATE_MEDIA = "state_media", "State-affiliated media"
        NGO = "ngo", "NGO"
        SOCIAL_MEDIA = "social_media", "Social media"
        OTHER = "other", "Other"

    class Reliability(models.TextChoices):
        HIGH = "high", "High"
        MIXED = "mixed", "Mixed"
        LOW = "low", "Low"
        UNRATED = "unrated", "Unrated"

    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, help_text="Registered domain, e.g. sipri.org (sub-domains match it).")
    kind = models.CharField(max_length=32, choices=Kind, default=Kind.OTHER)
    reliability = models.CharField(max_length=16, choices=Reliability, default=Reliability.UNRATED)
    notes = models.TextField(blank=True)
    blocked = models.BooleanField(default=False, help_text="Evidence citing this domain is refused.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        permissions = [("manage_sources", "Can manage the source registry")]
        constraints = [
            models.UniqueConstraint(Lower("domain"), name="source_domain_unique_ci"),
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")) & ~Q(domain="") & ~Q(domain__contains="/"),
                name="source_domain_lowercase_host",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.domain})"
