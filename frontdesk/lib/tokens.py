"""Secret tokens for e-mailed links: long, random, and stored only as a hash."""

import hashlib
import secrets


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token (256 bits) and the hash to store in its place."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)
