class DomainError(Exception):
    """A business rule refused an action; the message is shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class PermissionDenied(DomainError):
    """The actor's role may never do this (the API answers 403 rather than 400)."""
