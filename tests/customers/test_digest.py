"""The weekly visit digest (JOB-04): overdue visits and the coming week's birthdays (CUS-11)
to each owner, the team's overdue visits to their sales managers, once per ISO week (JOB-09)."""

from datetime import date, timedelta

from django.core import mail
from django.utils import timezone

from crm_project.accounts.roles import Role
from crm_project.core import schedules
from crm_project.notifications.models import Notification
from customers.models import Contact
from customers.services.visits import birthdays_between
from customers.tasks import weekly_visit_digest
from tests.customers.factories import ContactFactory, CustomerFactory, VisitFactory
from tests.factories import DepartmentFactory, UserFactory

MONDAY = date(2026, 11, 23)


def test_it_sends_owners_their_overdue_visits_and_birthdays(rep, other_rep, manager):
    """JOB-04, CUS-09, CUS-11: one digest per owner with something to report."""
    customer = CustomerFactory(owner=rep, name="甲公司")
    VisitFactory(customer=customer, planned_date=MONDAY - timedelta(days=10))
    VisitFactory(customer=customer, planned_date=MONDAY)  # due today: not overdue
    ContactFactory(customer=customer, name="王采购", birthday=date(1980, 11, 27))
    ContactFactory(customer=customer, name="下周后", birthday=date(1980, 12, 1))  # after the coming week
    ContactFactory(customer=customer, name="已离职", birthday=date(1980, 11, 24), active=False)
    archived = CustomerFactory(owner=rep, name="已归档公司", archived_at=timezone.now())
    VisitFactory(customer=archived, planned_date=MONDAY - timedelta(days=30))

    assert weekly_visit_digest(today=MONDAY.isoformat()) == 2  # the rep, and their manager
    digest = Notification.objects.get(recipient=rep)
    assert digest.key == f"visit-digest:2026-W48:{rep.pk}"
    assert "甲公司" in digest.body and "2026-11-13" in digest.body and "10 days overdue" in digest.body
    assert "王采购" in digest.body and "11-27" in digest.body
    assert "下周后" not in digest.body and "已离职" not in digest.body and "已归档公司" not in digest.body
    assert "1 overdue" in digest.title and "1 birthdays" in digest.title
    assert not Notification.objects.filter(recipient=other_rep).exists()  # nothing to report


def test_the_manager_gets_the_teams_overdue_visits(rep, other_rep, manager, director):
    """JOB-04: to the sales managers of the owner's department, by rep."""
    VisitFactory(customer=CustomerFactory(owner=rep, name="甲公司"), planned_date=MONDAY - timedelta(days=3))
    VisitFactory(customer=CustomerFactory(owner=other_rep, name="乙公司"), planned_date=MONDAY - timedelta(days=8))
    elsewhere = DepartmentFactory(code="sales-north")
    UserFactory(username="north_manager", department=elsewhere, roles=[Role.SALES_MANAGER])
    weekly_visit_digest(today=MONDAY.isoformat())
    team = Notification.objects.get(recipient=manager)
    assert team.key == f"visit-digest-team:2026-W48:{manager.pk}"
    assert "2 overdue visits" in team.title
    assert "甲公司" in team.body and "乙公司" in team.body
    assert rep.display_name in team.body and other_rep.display_name in team.body
    assert not Notification.objects.filter(recipient__username="north_manager").exists()
    assert not Notification.objects.filter(recipient=director).exists()


def test_running_twice_sends_nothing_new(rep, manager, django_capture_on_commit_callbacks):
    """JOB-09: idempotent per ISO week; the next week sends again."""
    VisitFactory(customer=CustomerFactory(owner=rep), planned_date=MONDAY - timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_visit_digest(today=MONDAY.isoformat()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_visit_digest(today=MONDAY.isoformat()) == 0
        assert weekly_visit_digest(today=(MONDAY + timedelta(days=2)).isoformat()) == 0
    assert Notification.objects.count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [manager.email, rep.email]
    assert weekly_visit_digest(today=(MONDAY + timedelta(days=7)).isoformat()) == 2


def test_nothing_to_report_sends_nothing(rep, manager):
    """JOB-04: only to those with something to report."""
    VisitFactory(customer=CustomerFactory(owner=rep), planned_date=MONDAY + timedelta(days=1))
    assert weekly_visit_digest(today=MONDAY.isoformat()) == 0
    assert not Notification.objects.exists()


def test_birthdays_across_the_new_year_and_on_29_february(rep):
    """CUS-11: month and day, any year; the coming week wraps into January."""
    customer = CustomerFactory(owner=rep)
    new_year = ContactFactory(customer=customer, birthday=date(1975, 1, 2))
    december = ContactFactory(customer=customer, birthday=date(1990, 12, 30))
    leap = ContactFactory(customer=customer, birthday=date(1988, 2, 29))
    ContactFactory(customer=customer, birthday=date(1990, 1, 6))
    contacts = Contact.objects.all()
    found = birthdays_between(contacts, date(2026, 12, 29))
    assert [(day, contact) for day, contact in found] == [(date(2026, 12, 30), december), (date(2027, 1, 2), new_year)]
    assert birthdays_between(contacts, date(2027, 2, 25)) == [(date(2027, 2, 28), leap)]
    assert birthdays_between(contacts, date(2028, 2, 25)) == [(date(2028, 2, 29), leap)]


def test_birthdays_alone_make_a_digest(rep, manager):
    """CUS-11: care events reach the owner even without overdue visits; the manager gets nothing."""
    ContactFactory(customer=CustomerFactory(owner=rep), name="赵主管", birthday=date(1970, 11, 29))
    assert weekly_visit_digest(today=MONDAY.isoformat()) == 1
    assert "赵主管" in Notification.objects.get(recipient=rep).body


def test_the_jobs_are_scheduled():
    """JOB-04: Mondays 08:30; the plan generator daily at 02:00."""
    import customers.schedules  # noqa: F401

    by_task = {schedule.task: schedule for schedule in schedules.SCHEDULES}
    digest = by_task["customers.weekly_visit_digest"]
    assert (digest.minute, digest.hour, digest.day_of_week) == ("30", "8", "1")
    plans = by_task["customers.generate_visit_plans"]
    assert (plans.minute, plans.hour, plans.day_of_week) == ("0", "2", "*")
