"""The timeline tab (CUS-08): everything that happened with the customer, newest first. One
query per timeline provider, whatever the number of entries."""

from ..services.interactions import can_log_interaction
from ..timeline import DEFAULT_LIMIT, customer_timeline


def context(customer, user) -> dict:
    return {
        "timeline": customer_timeline(customer, DEFAULT_LIMIT),
        "timeline_limit": DEFAULT_LIMIT,
        "can_log_interaction": can_log_interaction(user, customer),
    }
