from __future__ import annotations

from preventhub.core import navigation


class TestTheOrder:
    def test_every_registered_entry_has_its_place_in_the_one_table(self) -> None:
        missing = [entry.url_name for entry in navigation.entries()]
        assert [name for name in missing if name not in navigation.ORDER] == []

    def test_entries_show_in_the_tables_order_whatever_order_apps_register_them(self) -> None:
        shown = [entry.url_name for entry in navigation.entries()]
        assert shown == [name for name in navigation.ORDER if name in shown]

    def test_an_entry_not_in_the_table_comes_last_by_label(self) -> None:
        listed = navigation.NavEntry("Zebra", "core:audit_log", None)
        unlisted = navigation.NavEntry("Aardvark", "unlisted:page", None)
        assert sorted([unlisted, listed], key=navigation._place) == [listed, unlisted]
