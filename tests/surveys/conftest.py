"""The people around a survey are those around a complaint: customer service, a customer of
`rep` and one of `other_rep` (tests/complaints/conftest.py)."""

from tests.complaints.conftest import (  # noqa: F401 (fixtures)
    _fast_passwords,
    contact,
    customer,
    customer_service_department,
    english,
    other_customer,
    service,
)
from tests.tenants.conftest import desk, ops_manager  # noqa: F401 (fixtures)
