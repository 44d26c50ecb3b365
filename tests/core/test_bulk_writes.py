"""Every write that skips the audit trail's signals is declared, and the declared way records it.

The scan reads the source of every module in ``src/preventhub`` (migrations aside) and finds
each ``bulk_create()``, ``bulk_update()`` and queryset ``update()``. Each must sit inside a
``with audit.bulk_write(...)`` block, which records one summary entry, or be in a function named
in ``audit.UNRECORDED_BULK_WRITES`` with the reason it needs no entry of its own.

A queryset's ``delete()`` is not a bulk write here: Django sends ``post_delete`` for every row
it deletes whenever anything listens for it, and the audit trail listens for every model, so
each row gets its own entry. ``test_a_queryset_delete_records_every_row`` holds that true.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import preventhub
from preventhub.core import audit
from preventhub.core.models import AuditEvent
from preventhub.partnership.models import Area, Organisation, Sector

SOURCE = Path(preventhub.__file__).parent
BULK_METHODS = frozenset({"bulk_create", "bulk_update", "update"})


@dataclass(frozen=True)
class BulkWriteCall:
    function: str  # "preventhub.schools.gias.import_gias"
    place: str  # "schools/gias.py:342"
    declared_by_block: bool


def _is_bulk_write(node: ast.Call) -> bool:
    # Every update() counts, whatever it is called on: a queryset kept in a variable looks like
    # any other name. Merge dictionaries and sets with |= instead.
    return isinstance(node.func, ast.Attribute) and node.func.attr in BULK_METHODS


def _is_bulk_write_block(node: ast.With) -> bool:
    return any(
        isinstance(item.context_expr, ast.Call)
        and isinstance(item.context_expr.func, ast.Attribute)
        and item.context_expr.func.attr == "bulk_write"
        for item in node.items
    )


class _Finder(ast.NodeVisitor):
    def __init__(self, module: str, path: str) -> None:
        self.module, self.path = module, path
        self.scope: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef] = []
        self.blocks = 0
        self.found: list[BulkWriteCall] = []

    def _visit_scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _visit_scope

    def _declaring_function(self) -> list[str]:
        """The module-level function or the method holding the call: a nested function is
        declared by the function that holds it."""
        names = []
        for node in self.scope:
            names.append(node.name)
            if not isinstance(node, ast.ClassDef):
                break
        return names

    def visit_With(self, node: ast.With) -> None:
        declared = _is_bulk_write_block(node)
        self.blocks += declared
        self.generic_visit(node)
        self.blocks -= declared

    def visit_Call(self, node: ast.Call) -> None:
        if _is_bulk_write(node):
            self.found.append(
                BulkWriteCall(
                    function=".".join([self.module, *self._declaring_function()]),
                    place=f"{self.path}:{node.lineno}",
                    declared_by_block=self.blocks > 0,
                )
            )
        self.generic_visit(node)


def bulk_writes_in_source() -> list[BulkWriteCall]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if "migrations" in relative.parts:
            continue
        module = ".".join(["preventhub", *relative.with_suffix("").parts])
        module = module.removesuffix(".__init__")
        finder = _Finder(module, str(relative))
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found.extend(finder.found)
    return found


class TestEveryBulkWriteIsDeclared:
    def test_no_bulk_write_skips_the_audit_trail_undeclared(self) -> None:
        undeclared = [
            f"{call.place} in {call.function}"
            for call in bulk_writes_in_source()
            if not call.declared_by_block and call.function not in audit.UNRECORDED_BULK_WRITES
        ]
        assert not undeclared, (
            "These bulk writes send no signals, so the audit trail would not see them:\n  "
            + "\n  ".join(undeclared)
            + "\nMake each inside `with audit.bulk_write(Model, action=..., description=...) as "
            "write:` and set `write.rows`, which records one summary entry; or, if the write "
            "needs no entry of its own, name its function in "
            "preventhub.core.audit.UNRECORDED_BULK_WRITES with the reason. (A dictionary's or "
            "a set's update() counts too: write `mapping |= other` instead.)"
        )

    def test_every_function_declared_unrecorded_still_writes_in_bulk(self) -> None:
        writing = {call.function for call in bulk_writes_in_source() if not call.declared_by_block}
        stale = sorted(set(audit.UNRECORDED_BULK_WRITES) - writing)
        assert not stale, (
            f"Remove from UNRECORDED_BULK_WRITES, they no longer write in bulk: {stale}"
        )

    def test_the_scan_finds_writes_in_blocks_helpers_and_nested_functions(self) -> None:
        found = {call.function: call for call in bulk_writes_in_source()}
        assert found["preventhub.schools.gias.import_gias"].declared_by_block
        assert not found["preventhub.core.concurrency.save_versioned"].declared_by_block
        assert "preventhub.schools.tasks.run_gias_import" in found

    def test_a_write_in_a_nested_function_is_declared_by_the_method_holding_it(self) -> None:
        finder = _Finder("module", "module.py")
        finder.visit(
            ast.parse(
                "class Importer:\n"
                "    def run(self):\n"
                "        def step():\n"
                "            Model.objects.filter(x=1).update(y=2)\n"
            )
        )
        assert [call.function for call in finder.found] == ["module.Importer.run"]

    def test_an_update_on_a_queryset_kept_in_a_variable_is_found(self) -> None:
        def found_in(source: str) -> bool:
            return any(
                _is_bulk_write(node)
                for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.Call)
            )

        assert found_in("Model.objects.filter(x=1).update(y=2)")
        assert found_in("rows = Model.objects.filter(x=1)\nrows.update(y=2)")
        assert not found_in("counts |= {'a': 1}")


@pytest.mark.django_db
class TestABulkWrite:
    def test_it_records_one_entry_with_the_model_the_rows_and_the_description(self) -> None:
        before = AuditEvent.objects.count()
        with audit.bulk_write(
            Sector, action=AuditEvent.Action.CREATE, description="Sectors for a test"
        ) as write:
            write.rows = len(
                Sector.objects.bulk_create([Sector(code="a", name="A"), Sector(code="b", name="B")])
            )
        assert AuditEvent.objects.count() == before + 1
        entry = AuditEvent.objects.latest("sequence")
        assert (entry.action, entry.object_type, entry.object_repr) == (
            "create",
            "partnership.sector",
            "2 sectors",
        )
        assert entry.changes == {"rows": 2}
        assert entry.detail == "Sectors for a test"

    def test_it_can_be_about_one_record(self, organisation: Organisation) -> None:
        with audit.bulk_write(
            Sector, action=AuditEvent.Action.UPDATE, description="Moved", obj=organisation
        ) as write:
            write.rows = 3
        entry = AuditEvent.objects.latest("sequence")
        assert (entry.object_type, entry.object_id) == (
            "partnership.organisation",
            str(organisation.pk),
        )
        assert entry.changes == {"rows": 3}

    def test_a_write_that_changed_nothing_records_nothing(self) -> None:
        before = AuditEvent.objects.count()
        with audit.bulk_write(Sector, action=AuditEvent.Action.UPDATE, description="None") as write:
            write.rows = Sector.objects.filter(name="No such sector").update(name="Other")
        assert AuditEvent.objects.count() == before

    def test_a_write_that_fails_records_nothing_and_keeps_nothing(self) -> None:
        before = AuditEvent.objects.count()
        with pytest.raises(RuntimeError):
            with audit.bulk_write(
                Sector, action=AuditEvent.Action.CREATE, description="Fails"
            ) as write:
                write.rows = len(Sector.objects.bulk_create([Sector(code="kept", name="Kept?")]))
                raise RuntimeError("fault")
        assert AuditEvent.objects.count() == before
        assert not Sector.objects.filter(name="Kept?").exists()


@pytest.mark.django_db
def test_a_queryset_delete_records_every_row(county: Area) -> None:
    Organisation.objects.bulk_create(
        [Organisation(name=f"Deleted {number}", area=county) for number in range(3)]
    )
    before = AuditEvent.objects.filter(action="delete").count()
    Organisation.objects.filter(name__startswith="Deleted ").delete()
    assert AuditEvent.objects.filter(action="delete").count() == before + 3
