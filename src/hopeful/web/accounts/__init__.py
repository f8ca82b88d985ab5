"""Accounts: the custom user (email login, public UUID) and sign-in / sign-out."""
