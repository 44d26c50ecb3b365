"""Disclosure control: small cells suppressed, and no suppressed cell recoverable from totals."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from preventhub.core.disclosure import protect


def table(*counts: int, threshold: int = 5) -> tuple[list[int | None], int | None]:
    protected = protect([(f"row {i}", n) for i, n in enumerate(counts)], threshold=threshold)
    return [cell.count for cell in protected.cells], protected.total


class TestHandCheckedTables:
    def test_a_table_with_no_small_cell_is_shown_whole(self) -> None:
        assert table(12, 30, 7) == ([12, 30, 7], 49)

    def test_one_small_cell_takes_the_next_smallest_with_it(self) -> None:
        # 3 is small; alone it would be 49 - 12 - 30 - 7 + ... so 7 goes too.
        assert table(12, 30, 7, 3) == ([12, 30, None, None], 52)

    def test_two_small_cells_protect_each_other(self) -> None:
        assert table(20, 2, 3, 40) == ([20, None, None, 40], 65)

    def test_zero_is_a_small_cell_too(self) -> None:
        assert table(0, 10, 11) == ([None, None, 11], 21)

    def test_two_zeros_take_a_cell_that_is_not_zero_with_them(self) -> None:
        # Two suppressed zeros adding to 0 would both be known to be 0.
        assert table(0, 0, 9, 20) == ([None, None, None, 20], 29)

    def test_a_small_total_is_suppressed_with_its_cells(self) -> None:
        assert table(1, 2) == ([None, None], None)

    def test_a_single_row_table_with_a_small_count_hides_everything(self) -> None:
        assert table(4) == ([None], None)

    def test_the_threshold_is_configurable(self) -> None:
        assert table(12, 30, 7, 3, threshold=10) == ([12, 30, None, None], 52)

    def test_the_json_shape(self) -> None:
        protected = protect([("a", 2), ("b", 9)], threshold=5)
        assert protected.as_json() == {
            "rows": [
                {"label": "a", "count": None, "suppressed": True},
                {"label": "b", "count": None, "suppressed": True},
            ],
            "total": 11,
            "threshold": 5,
        }

    def test_rates_are_given_only_from_published_counts(self) -> None:
        protected = protect([("a", 2), ("b", 9), ("c", 20)], threshold=5)
        shares = [cell.share_of(protected.total) for cell in protected.cells]
        assert shares == [None, None, 20 / 31]


def feasible_values(counts: list[int | None], total: int | None, index: int) -> set[int] | None:
    """Every value the suppressed cell ``index`` could take, given what is published.

    What an attacker knows: each cell is a whole number ≥ 0, published cells exactly, and the
    suppressed cells add up to the total minus the published ones. None: no bound from a total.
    """
    if total is None:
        return None
    hidden = total - sum(count for count in counts if count is not None)
    others = sum(1 for i, count in enumerate(counts) if count is None and i != index)
    if others == 0:
        return {hidden}
    return set(range(0, hidden + 1))


@settings(deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=9),
    st.integers(min_value=2, max_value=10),
)
def test_no_suppressed_cell_can_be_derived_from_the_published_figures(
    counts: list[int], threshold: int
) -> None:
    protected = protect([(str(i), n) for i, n in enumerate(counts)], threshold=threshold)
    shown = [cell.count for cell in protected.cells]
    for index, cell in enumerate(protected.cells):
        if not cell.suppressed:
            assert cell.count == counts[index] and cell.count >= threshold
            continue
        possible = feasible_values(shown, protected.total, index)
        assert possible is None or len(possible) > 1, (counts, shown, protected.total)
    if protected.total is not None:
        assert protected.total == sum(counts) >= threshold


@settings(deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=9))
def test_every_small_cell_is_suppressed(counts: list[int]) -> None:
    protected = protect([(str(i), n) for i, n in enumerate(counts)], threshold=5)
    for count, cell in zip(counts, protected.cells, strict=True):
        if count < 5:
            assert cell.suppressed and cell.count is None
