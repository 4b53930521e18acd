"""Background jobs of the Excel import (CUS-12) for large files. Each takes the batch id and
calls the service; both are idempotent (JOB-09): a batch already past the step is left alone,
and the notifications carry de-duplication keys."""

from crm_project.core.jobs import job


@job(name="customers.import_check")
def import_check_job(batch_id: int) -> str:
    from .services.imports import import_check

    return import_check(batch_id=batch_id, background=True).status


@job(name="customers.import_apply")
def import_apply_job(batch_id: int) -> str:
    from .services.imports import import_apply

    return import_apply(batch_id=batch_id, background=True).status
