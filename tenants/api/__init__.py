"""The tenant desk API (TEN-01 … TEN-04, TEN-09, ORG-02)."""


def register(router) -> None:
    pass
