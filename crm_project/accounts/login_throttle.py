"""The per-address log-in throttle. Beside django-axes' lock of one username from one address
(AXES_*), at most RATE_LIMITS["login"] failed log-ins from one address, whatever the usernames,
on the log-in pages (the site's and the admin's) and the token endpoint; then 429 until the
window ends.

Failures are counted, not attempts: a whole office behind one address logs in every morning,
a password guesser fails. Django's `user_login_failed` signal is sent by every `authenticate()`
that fails, whichever endpoint called it, so one receiver counts for both."""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from crm_project.core.ratelimits import rate_limit, usage

# Put on a log-in view (page or API): refuses a POST once its address has failed too often.
login_throttle = rate_limit("login", count=False)


@receiver(user_login_failed, dispatch_uid="crm-login-throttle")
def count_failed_login(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        usage(request, "login")
