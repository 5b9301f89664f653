from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`; 50 by default, at most 500 (larger limits are cut to 500)."""

    default_limit = 50
    max_limit = 500
