from django.db.models import Count, Window
from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`; 50 by default, at most 500 (larger limits are cut to 500)."""

    default_limit = 50
    max_limit = 500

    def paginate_counted(self, queryset, request, *fields) -> list[tuple]:
        """`fields` of one page of `queryset`, with the total counted in the page's own query (`COUNT(*) OVER ()`)
        instead of a COUNT query of its own; `get_paginated_response` then works as after `paginate_queryset`."""
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        counted = queryset.annotate(listed_total=Window(Count("pk"))).values_list(*fields, "listed_total")
        page = list(counted[self.offset : self.offset + self.limit])
        # Past the last row the page is empty and carries no total: count then (a request for a page that isn't).
        self.count = page[0][-1] if page else queryset.count()
        return [row[:-1] for row in page]
