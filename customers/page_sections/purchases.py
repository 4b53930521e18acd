def context(customer, user) -> dict:
    return {}
