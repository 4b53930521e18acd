"""Who may do what with supplier files (SUP-01 … SUP-07). Services enforce these; templates use
them to show or hide buttons. Visibility itself is the access registry's (ORG-02): every
function here assumes the caller already checked the supplier is visible to the user."""

from django.conf import settings

from crm_project.accounts.access import is_read_only
from crm_project.accounts.roles import Role


def survey_department_codes() -> list[str]:
    """The departments whose staff must sign the on-site survey (SUP-04, a setting)."""
    return list(settings.SUPPLIER_SURVEY_DEPARTMENTS)


def is_procurement(user) -> bool:
    return user.is_authenticated and not is_read_only(user) and (user.is_superuser or user.has_role(Role.PROCUREMENT))


def is_purchasing_head(user) -> bool:
    return user.is_authenticated and not is_read_only(user) and user.has_role(Role.PURCHASING_HEAD)


def is_survey_department_staff(user) -> bool:
    """A specialist of one of the survey departments (SUP-04): sees supplier files (ORG-02)."""
    if not user.is_authenticated or not user.has_role(Role.SPECIALIST):
        return False
    department = user.department
    return department is not None and department.code in survey_department_codes()


def survey_department_of(user) -> str | None:
    """The survey department the user signs for: their own, if it is on the survey team and
    they are its staff (SUP-04). Nobody signs for another department."""
    if is_read_only(user) or not is_survey_department_staff(user):
        return None
    return user.department.code


def on_survey_team(user) -> bool:
    return survey_department_of(user) is not None


def can_register(user) -> bool:
    return is_procurement(user)


def can_run_file(user) -> bool:
    """Procurement runs the file: stages, documents, notes, the application, contracts."""
    return is_procurement(user)


def can_score(user) -> bool:
    """SUP-01: the survey team scores the principles — procurement and the survey departments."""
    return is_procurement(user) or on_survey_team(user)


def can_sign_finding(user, department_code: str) -> bool:
    return survey_department_of(user) == department_code


def can_decide(user) -> bool:
    """SUP-05: the head of purchasing (the service also refuses the applicant)."""
    return is_purchasing_head(user)


def can_reject(user) -> bool:
    return is_procurement(user) or is_purchasing_head(user)


def can_suspend(user) -> bool:
    return is_procurement(user) or is_purchasing_head(user)
