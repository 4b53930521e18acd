"""The model permissions each role holds in this app (ORG-01): administrators keep the
service standards (CMP-04)."""

from crm_project.accounts.roles import Role, grant

grant(
    Role.ADMINISTRATOR,
    "complaints.view_servicestandard",
    "complaints.change_servicestandard",
)
