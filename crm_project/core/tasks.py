from .jobs import job
from .ratelimits import rate_limit_counts_purge


@job(name="core.purge_rate_limit_counts")
def purge_rate_limit_counts() -> int:
    """Hourly: forget the rate-limit counts kept in PostgreSQL (while Redis was down) whose window has ended."""
    return rate_limit_counts_purge()
