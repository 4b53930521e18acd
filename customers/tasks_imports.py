"""Background jobs of the Excel import (CUS-12) for large files. Each takes the batch id and
calls the service; both are idempotent (JOB-09): a batch already past the step is left alone,
and the notifications carry de-duplication keys. The sweep fails the imports a dead worker
left half-way, so none stays "checking" or "importing" for ever."""

from celery import Task

from crm_project.core.jobs import job

# Far above what IMPORT_MAX_ROWS rows take; a step past it is failed ("took too long") rather
# than left holding a worker.
TIME_LIMITS = {"soft_time_limit": 30 * 60, "time_limit": 32 * 60}


class ImportJob(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .services.imports import import_give_up

        import_give_up(batch_id=kwargs.get("batch_id", args[0] if args else None), problem=exc)


@job(name="customers.import_check", base=ImportJob, **TIME_LIMITS)
def import_check_job(batch_id: int) -> str:
    from .services.imports import import_check

    return import_check(batch_id=batch_id, background=True).status


@job(name="customers.import_apply", base=ImportJob, **TIME_LIMITS)
def import_apply_job(batch_id: int) -> str:
    from .services.imports import import_apply

    return import_apply(batch_id=batch_id, background=True).status


@job(name="customers.import_sweep")
def import_sweep_job() -> int:
    from .services.imports import import_sweep

    return import_sweep()
