from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from preventhub.accounts import services as accounts
from preventhub.accounts.models import User
from preventhub.core import navigation
from preventhub.core.roles import Role


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


class TestLinksFor:
    def test_it_offers_only_the_entries_whose_permission_the_user_holds(
        self, make_user: Callable[..., User]
    ) -> None:
        reader = make_user(Role.BOARD_READER)
        shown = {link.href for link in navigation.links_for(reader)}
        expected = {
            reverse(entry.url_name)
            for entry in navigation.entries()
            if entry.permission is None or reader.has_perm(entry.permission)
        }
        assert shown == expected
        assert reverse("core:audit_log") not in shown

    def test_it_asks_each_permission_once_for_the_header_and_the_home_page(
        self, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        coordinator = make_user(Role.COORDINATOR)
        asked: list[str] = []
        has_perm = type(coordinator).has_perm

        def counting(user: User, perm: str, obj: object = None) -> bool:
            asked.append(perm)
            return has_perm(user, perm, obj)

        monkeypatch.setattr(type(coordinator), "has_perm", counting)
        first = navigation.links_for(coordinator, "/partnership/")
        second = navigation.links_for(coordinator)
        assert len(asked) == len(set(asked))
        assert [link.href for link in first] == [link.href for link in second]
        assert [link.label for link in first if link.current] == ["Partnership"]
        assert not any(link.current for link in second)

    def test_a_change_of_roles_changes_what_it_offers(self, make_user: Callable[..., User]) -> None:
        person = make_user(Role.BOARD_READER)
        before = navigation.links_for(person)
        accounts.update_user(
            user=person,
            expected_version=person.version,
            full_name=person.full_name,
            organisation=person.organisation,
            district=None,
            roles=[Role.ADMINISTRATOR],
            changed_by=None,
        )
        after = navigation.links_for(person)
        assert reverse("accounts:user_list") in {link.href for link in after}
        assert reverse("accounts:user_list") not in {link.href for link in before}


class TestTheHeader:
    def test_it_marks_the_section_and_says_page_only_on_the_sections_own_page(
        self, client_for: Callable[..., Client]
    ) -> None:
        client = client_for(Role.COORDINATOR)
        directory = reverse("partnership:directory")
        on_directory = client.get(directory).content.decode()
        on_sectors = client.get(reverse("partnership:sectors")).content.decode()
        assert re.search(f'href="{directory}"\\s+aria-current="page"', on_directory)
        assert re.search(f'href="{directory}"\\s+aria-current="true"', on_sectors)
        assert on_sectors.count("aria-current") == 1

    def test_it_shows_each_person_their_own_entries(
        self, client_for: Callable[..., Client]
    ) -> None:
        audit_log = f'href="{reverse("core:audit_log")}"'
        dpo = client_for(Role.DPO).get(reverse("core:home")).content.decode()
        reader = client_for(Role.BOARD_READER).get(reverse("core:home")).content.decode()
        assert audit_log in dpo
        assert audit_log not in reader
