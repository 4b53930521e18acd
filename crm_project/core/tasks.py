from celery import Task

from .jobs import job
from .ratelimits import rate_limit_counts_purge


@job(name="core.purge_rate_limit_counts")
def purge_rate_limit_counts() -> int:
    """Hourly: forget the rate-limit counts kept in PostgreSQL (while Redis was down) whose window has ended."""
    return rate_limit_counts_purge()


class ExportJobTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .background_exports import export_fail

        export_fail(job_id=kwargs.get("job_id", args[0] if args else None), problem=exc)


# An export of the largest list (a department's 100,000 customers) takes well under a minute.
@job(name="core.export_run", base=ExportJobTask, soft_time_limit=20 * 60, time_limit=22 * 60)
def export_run_job(job_id: int) -> str:
    """Write a background export's file (crm_project/core/background_exports.py)."""
    from .background_exports import export_run

    return export_run(job_id=job_id).status


@job(name="core.export_sweep")
def export_sweep_job() -> int:
    """Daily: delete the files of background exports older than EXPORT_KEEP_DAYS."""
    from .background_exports import export_sweep

    return export_sweep()
