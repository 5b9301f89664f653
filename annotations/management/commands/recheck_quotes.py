"""Re-check every evidence quote of a done capture with the quote check, e.g. after upgrading it.

Quotes marked gone by a link check are left alone: that status comes from the source as fetched since, which a
re-check against the capture cannot see; the next link check of the source re-checks them.
"""

from collections import Counter

from django.core.management.base import BaseCommand

from annotations.models import Capture, Evidence
from annotations.services import evidence_check_quote

BATCH = 200


class Command(BaseCommand):
    help = "Re-check the quotes of all evidence whose capture is done; prints how many end in each status."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help="Evidence rows per batch (default %(default)s).")

    def handle(self, *args, batch: int, **options):
        if batch < 1:
            self.stderr.write("--batch must be at least 1.")
            return
        counts: Counter[str] = Counter()
        rows = (
            Evidence.objects.filter(capture__status=Capture.Status.DONE)
            .exclude(quote="")
            .exclude(quote_status=Evidence.QuoteStatus.GONE)
        )
        last = 0
        while True:
            evidence_batch = list(rows.filter(pk__gt=last).order_by("pk")[:batch])  # keyset: no OFFSET scans
            if not evidence_batch:
                break
            last = evidence_batch[-1].pk
            # Each capture's text is read once per batch, and its quotes are checked one after the other, so the
            # quote check's cache of the tokenised text serves them all.
            captures = Capture.objects.in_bulk({evidence.capture_id for evidence in evidence_batch})
            for evidence in sorted(evidence_batch, key=lambda e: e.capture_id):
                checked = evidence_check_quote(evidence=evidence, capture=captures[evidence.capture_id])
                counts[checked.quote_status] += 1
        total = sum(counts.values())
        self.stdout.write(f"Re-checked {total} evidence quote{'s' if total != 1 else ''}.")
        for status in Evidence.QuoteStatus:
            if counts[status.value]:
                self.stdout.write(f"  {status.label.lower()}: {counts[status.value]}")
