"""Who may use the app when it listens beyond this machine: one access password, compared in constant time, and a
short lock-out of a client after repeated wrong guesses (pure logic; the app supplies the client and the clock)."""

from __future__ import annotations

import hmac
import ipaddress
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from briefing.settings import UISettings


@dataclass(frozen=True)
class Attempt:
    """The outcome of one try: signed in, or not; `locked_for` seconds before the next try is heard."""

    ok: bool
    locked_for: float = 0.0


class LoginGuard:
    """Checks passwords for every session of the app. After `max_failures` wrong ones in a row from a client, that
    client's tries are refused unheard for `lockout_s` seconds. Safe to share between threads."""

    def __init__(
        self, password: str, max_failures: int, lockout_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._password = password.encode()
        self._max_failures = max_failures
        self._lockout_s = lockout_s
        self._clock = clock
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def attempt(self, client: str, given: str) -> Attempt:
        """Check one try from `client` (an address, or any key the caller groups tries by)."""
        with self._lock:
            now = self._clock()
            if (until := self._locked_until.get(client, 0.0)) > now:
                return Attempt(ok=False, locked_for=until - now)
            if hmac.compare_digest(given.encode(), self._password):
                self._failures.pop(client, None)
                return Attempt(ok=True)
            failures = self._failures.get(client, 0) + 1
            if failures >= self._max_failures:
                self._failures.pop(client, None)
                self._locked_until[client] = now + self._lockout_s
                return Attempt(ok=False, locked_for=self._lockout_s)
            self._failures[client] = failures
            return Attempt(ok=False)


def is_loopback(address: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, 'localhost')."""
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[] ")).is_loopback
    except ValueError:
        return False


def exposure_problem(address: str, ui: UISettings) -> str | None:
    """Why the app must not start listening on `address`, or None when it may: beyond loopback it needs a
    password."""
    try:
        password = ui.access_password()
    except (OSError, ValueError) as error:
        return f"the access password cannot be read ({error})"
    if password is None and not is_loopback(address):
        return (
            f"refusing to listen on {address} without an access password: anyone who can reach the port could "
            "read, add and delete articles. Set BRIEFING_UI__PASSWORD (or BRIEFING_UI__PASSWORD_FILE), or listen "
            "on 127.0.0.1."
        )
    return None
