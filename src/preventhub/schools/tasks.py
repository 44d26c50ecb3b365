"""Background work of the schools register, run by `manage.py db_worker`."""

from __future__ import annotations

from django_tasks import task

from preventhub.schools import services


@task()
def import_gias_run(run_id: int) -> None:
    services.run_gias_import(run_id=run_id)
