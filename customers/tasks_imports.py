"""Background jobs of the Excel import (CUS-12) for large files. Each takes the batch id and
calls the service; both are idempotent (JOB-09): a batch already past the step is left alone,
and the notifications carry de-duplication keys."""

from celery import Task

from crm_project.core.jobs import job


class ImportJob(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .services.imports import import_give_up

        import_give_up(batch_id=kwargs.get("batch_id", args[0] if args else None), problem=exc)


@job(name="customers.import_check", base=ImportJob)
def import_check_job(batch_id: int) -> str:
    from .services.imports import import_check

    return import_check(batch_id=batch_id, background=True).status


@job(name="customers.import_apply", base=ImportJob)
def import_apply_job(batch_id: int) -> str:
    from .services.imports import import_apply

    return import_apply(batch_id=batch_id, background=True).status
