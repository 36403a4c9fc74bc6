"""The access password, asked once per browser session when one is set (`BRIEFING_UI__PASSWORD` or
`BRIEFING_UI__PASSWORD_FILE`); wrong guesses lock a client out for a while (`briefing.access.LoginGuard`)."""

from __future__ import annotations

import hashlib
import math

import streamlit as st

from briefing import Settings
from briefing.access import LoginGuard

from .text import escape_markdown

SIGNED_IN = "signed_in"


@st.cache_resource(show_spinner=False)
def _guard(password_digest: str, max_failures: int, lockout_s: float) -> LoginGuard:
    """One guard per password for every session of the process, so a lock-out holds across new sessions."""
    password = Settings().ui.access_password()
    assert password is not None
    assert hashlib.sha256(password.encode()).hexdigest() == password_digest
    return LoginGuard(password, max_failures, lockout_s)


def _client() -> str:
    """The address the tries come from (one lock-out per address), when Streamlit knows it."""
    address = getattr(st.context, "ip_address", None)
    return address if isinstance(address, str) and address else "unknown"


def signed_in() -> bool:
    """True when this session may use the app; otherwise the sign-in form is shown."""
    ui = Settings().ui
    try:
        password = ui.access_password()
    except (OSError, ValueError) as error:
        st.error(escape_markdown(f"The access password cannot be read: {error}"), icon=":material/lock:")
        return False
    if password is None or st.session_state.get(SIGNED_IN):
        return True
    guard = _guard(hashlib.sha256(password.encode()).hexdigest(), ui.max_failed_logins, ui.lockout_s)
    st.title("briefing")
    with st.form("sign-in"):
        given = st.text_input("Access password", type="password")
        if st.form_submit_button("Sign in", type="primary"):
            attempt = guard.attempt(_client(), given)
            if attempt.ok:
                st.session_state[SIGNED_IN] = True
                st.rerun()
            elif attempt.locked_for:
                st.error(f"Too many wrong passwords: try again in {math.ceil(attempt.locked_for)} s.")
            else:
                st.error("Wrong password.")
    return False
