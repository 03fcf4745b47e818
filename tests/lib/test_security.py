"""Passwords hashed with argon2, tokens stored only as their SHA-256 hash."""

from __future__ import annotations

import hashlib

from boerse.lib.security import hash_password, hash_token, new_token, verify_password


def test_a_password_verifies_only_against_its_own_hash() -> None:
    stored = hash_password("Lindenblüten-im-Juni")
    assert stored.startswith("$argon2")
    assert "Lindenblüten" not in stored
    assert verify_password(stored, "Lindenblüten-im-Juni")
    assert not verify_password(stored, "lindenblüten-im-juni")


def test_no_hash_or_a_broken_one_never_verifies() -> None:
    """An unknown email is checked against a dummy hash (same time), and still fails."""
    assert not verify_password(None, "not-a-real-password")
    assert not verify_password("", "irgendwas")
    assert not verify_password("kein-argon2-hash", "irgendwas")


def test_tokens_are_random_and_only_their_hash_is_kept() -> None:
    first, first_hash = new_token()
    second, _ = new_token()
    assert first != second and len(first) >= 40
    assert first_hash == hash_token(first) == hashlib.sha256(first.encode()).hexdigest()
    assert first not in first_hash
