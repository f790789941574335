"""Password rules after NIST SP 800-63B §3.1.1.2 (memorized secrets).

* at least 12 characters (counted after Unicode NFKC normalisation) and at most 128; every
  printable character, spaces and emoji included, is allowed; no composition rules;
* not all spaces, not one character repeated, not a keyboard or number sequence;
* not a commonly used or breached password: checked against the frequency lists of zxcvbn
  (Dropbox's password strength estimator, which ships the lists of the most common passwords
  from public breach corpora, and English words, names and surnames), with the username, the
  person's name and the product name as context words; the estimate must reach zxcvbn score 3
  ("safely unguessable", about 10^10 guesses), so a stolen database cannot be cracked quickly;
* not containing the username.

Every refusal names the field and says what is wrong in plain words, never the password.
"""

from __future__ import annotations

import unicodedata

from hipback.errors import InvalidInput, Problem

MIN_PASSWORD = 12
MAX_PASSWORD = 128
MIN_SCORE = 3
HIDDEN = "(hidden)"


def normalise(password: str) -> str:
    """NFKC, as NIST asks, so the same password typed on two keyboards hashes the same."""
    return unicodedata.normalize("NFKC", password)


def check_password_policy(password: str, username: str, *context: str) -> None:
    """Raise :class:`InvalidInput` (field ``password``) naming every rule ``password`` breaks."""
    text = normalise(password)
    problems: list[Problem] = []

    def refuse(allowed: str, message: str) -> None:
        problems.append(Problem("password", HIDDEN, allowed, message))

    if len(text) < MIN_PASSWORD:
        refuse(f"at least {MIN_PASSWORD} characters", f"it has {len(text)}")
    elif len(text) > MAX_PASSWORD:
        refuse(f"at most {MAX_PASSWORD} characters", f"it has {len(text)}")
    if not text.strip():
        refuse("a password that is not only spaces", "it is only spaces")
    elif len(set(text)) == 1:
        refuse("more than one different character", "it repeats one character")
    if username and username.strip().lower() in text.lower():
        refuse("a password not containing the username", "it contains the username")
    if not problems:
        from zxcvbn import zxcvbn  # type: ignore[import-untyped]

        words = [w for w in (username, *context, "hipback") if w]
        estimate = zxcvbn(text[:MAX_PASSWORD], user_inputs=words)
        if estimate["score"] < MIN_SCORE:
            warning = estimate["feedback"]["warning"] or "it is too easy to guess"
            refuse(
                "a password that is not common or easy to guess (try a few unrelated words)",
                warning.rstrip("."),
            )
    if problems:
        raise InvalidInput(problems)
