"""API tokens (ORG-02): issued for a username and password, stored hashed, expiring, revocable."""
