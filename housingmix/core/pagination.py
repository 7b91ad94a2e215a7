"""Pagination of the office's long lists (the review queue, the registry, the households): the
count is exact up to ``COUNT_CAP`` rows and stops there.

Django's paginator counts the whole filtered list on every page (``COUNT(*)``), the one query of
a list page that grows with the table: at 100,000 manifestations it reads the whole index. Here
the count reads at most ``COUNT_CAP + 1`` rows (``SELECT COUNT(*) FROM (SELECT id … LIMIT cap + 1)``,
without the list's ORDER BY and computed columns, which a count does not need). Up to the cap nothing changes for the
reader: the number found, the page links, the last page. Above it the page says "more than
10,000", links the pages around the current one and the next one, and every page is still
reachable (``?page=`` beyond the pages the cap vouches for is read and answered by the rows
themselves: one row more than a page says whether a next one exists). No cache: a count that is
always read from the table cannot be stale, which an office list must not be.

A page number past the end (typed, or a list that shrank) answers the last page, as Django's
``get_page`` does; beyond the cap that one time needs the exact count.
"""

from __future__ import annotations

import math
from functools import cached_property

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator

COUNT_CAP = 10_000
MAX_OFFSET = 2**62


class CappedCountPaginator(Paginator):
    """A ``Paginator`` whose ``count`` stops at ``cap + 1`` (``count_capped`` then is true)."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, cap=None):
        super().__init__(object_list, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page)
        cap = COUNT_CAP if cap is None else cap
        if cap < int(per_page):
            raise ValueError("The count's cap must hold at least one page.")
        if orphans:
            raise ValueError("Orphans need the exact count of the last page, which a capped count does not know.")
        self.cap = cap

    @cached_property
    def count(self) -> int:
        """The rows, exact up to ``cap``; ``cap + 1`` means "more than ``cap``"."""
        object_list = self.object_list
        if hasattr(object_list, "query"):
            # A queryset: neither its ordering nor its computed columns change a count (the
            # filters that use them stay); without them the database reads the rows' keys only.
            return object_list.order_by().values("pk")[: self.cap + 1].count()
        return min(len(object_list), self.cap + 1)

    @property
    def count_capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        """The pages the count vouches for: all of them up to the cap, at least these above it."""
        if not self.count_capped:
            return super().num_pages
        return math.ceil(self.count / self.per_page)

    def validate_number(self, number):
        if not self.count_capped:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if (number - 1) * self.per_page > MAX_OFFSET:  # past any table; the database's OFFSET is 64-bit
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.count_capped or number < self.num_pages:
            # Pages the count vouches for, and every page of a list within the cap, as Django reads them.
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self._last_page() if self.count_capped else self.page(self.num_pages)

    def _last_page(self):
        """Past the end of a list above the cap: its last page, from the exact count (rare)."""
        if hasattr(self.object_list, "query"):
            total = self.object_list.order_by().values("pk").count()
        else:
            total = len(self.object_list)
        last = max(1, math.ceil(total / self.per_page))
        bottom = (last - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        return CappedPage(rows, last, self, has_more=False)

    def get_elided_page_range(self, number=1, *, on_each_side=3, on_ends=2):
        if not self.count_capped:
            yield from super().get_elided_page_range(number, on_each_side=on_each_side, on_ends=on_ends)
            return
        number = self.validate_number(number)
        # The first pages, the ones around the current page up to the next one known to exist,
        # then an ellipsis: how many follow is what the cap does not count.
        last_known = max(self.num_pages, number + 1)
        if number > 1 + on_each_side + on_ends + 1:
            yield from range(1, on_ends + 1)
            yield self.ELLIPSIS
            yield from range(number - on_each_side, min(number + on_each_side, last_known) + 1)
        else:
            yield from range(1, min(number + on_each_side, last_known) + 1)
        yield self.ELLIPSIS


class CappedPage(Page):
    """A page beyond the pages the capped count vouches for: whether a next one exists is read
    with its rows."""

    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        return self._has_more

    def next_page_number(self):
        if not self._has_more:
            raise InvalidPage(self.paginator.error_messages["no_results"])
        return self.number + 1

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0
