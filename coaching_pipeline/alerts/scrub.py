"""Keep secrets out of alert text: known secret values and the credentials part of URLs become ***."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import SecretStr

from coaching_pipeline.settings import SECRET_FILE_FIELDS, Settings

_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@]+(:[^/\s@]*)?@", re.IGNORECASE)
_MIN_SECRET_LENGTH = 4


def configured_secrets(settings: Settings) -> list[str]:
    """Every secret the settings hold (API keys, webhook URLs, passwords), to scrub from alert text."""
    fields = (*SECRET_FILE_FIELDS, "smtp_password", "slack_webhook_url")
    values = (getattr(settings, name) for name in fields)
    return [value.get_secret_value() for value in values if isinstance(value, SecretStr)]


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with each secret and each `user:password@` of a URL replaced by ***."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= _MIN_SECRET_LENGTH:
            text = text.replace(secret, "***")
    return _URL_CREDENTIALS.sub(lambda match: f"{match['scheme']}***@", text)
