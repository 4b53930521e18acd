"""Named queues (JOB-06, JOB-09): routes declared once, for jobs that exist, on queues that exist."""

from crm_project import celery_app
from crm_project.core.jobs import load_all_jobs
from crm_project.core.queues import BULK, DEFAULT, MAIL, QUEUES, REMINDERS, ROUTES, queue_of


def _routed(name: str) -> str:
    return celery_app.amqp.router.route({}, name)["queue"].name


def test_every_route_names_a_job_and_a_declared_queue():
    """A renamed job must not silently fall back to the default queue."""
    jobs = load_all_jobs()
    assert set(ROUTES) <= set(jobs), set(ROUTES) - set(jobs)
    assert set(ROUTES.values()) <= set(QUEUES)
    assert {queue.name for queue in celery_app.conf.task_queues} == set(QUEUES)


def test_celery_routes_each_job_as_declared():
    """JOB-06: escalations never wait behind an import or the mail; what is not routed goes to default."""
    for name in load_all_jobs():
        assert _routed(name) == queue_of(name), name
    assert _routed("customers.import_apply") == BULK
    assert _routed("core.export_run") == BULK
    assert _routed("tenants.escalate_breaches") == REMINDERS
    assert _routed("complaints.escalate_breaches") == REMINDERS
    assert _routed("expenses.review_reminders") == REMINDERS
    assert _routed("notifications.send_email") == MAIL
    assert _routed("tenants.purge_recordings") == DEFAULT
