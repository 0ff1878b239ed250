"""The receiver's configuration from settings; with no authentication method configured it refuses to start."""

from __future__ import annotations

from dataclasses import dataclass

from coaching_pipeline.gong.webhooks import WebhookAuth, load_public_key
from coaching_pipeline.settings import Settings


class WebhookConfigError(ValueError):
    """The receiver cannot start safely; the message is one line naming the variables to set."""


@dataclass(frozen=True)
class WebhookConfig:
    auth: WebhookAuth
    max_body_bytes: int


def webhook_config(settings: Settings) -> WebhookConfig:
    public_key = settings.gong_webhook_public_key.get_secret_value() if settings.gong_webhook_public_key else None
    if public_key and not settings.gong_webhook_url:
        raise WebhookConfigError(
            "GONG_WEBHOOK_PUBLIC_KEY is set but GONG_WEBHOOK_URL is not: set it to the URL registered in Gong's "
            "rule (the JWT's webhook_url claim is checked against it)"
        )
    try:
        key = load_public_key(public_key) if public_key else None
    except ValueError as exc:
        raise WebhookConfigError(str(exc)) from None
    secret = settings.gong_webhook_secret.get_secret_value() if settings.gong_webhook_secret else ""
    token = settings.gong_webhook_token.get_secret_value() if settings.gong_webhook_token else ""
    auth = WebhookAuth(
        public_key=key,
        webhook_url=settings.gong_webhook_url,
        hmac_secret=secret.encode() or None,
        signature_header=settings.gong_webhook_signature_header,
        url_token=token or None,
        leeway_seconds=settings.gong_webhook_jwt_leeway_seconds,
    )
    if not auth.configured:
        raise WebhookConfigError(
            "no webhook authentication configured: set GONG_WEBHOOK_PUBLIC_KEY (with GONG_WEBHOOK_URL), "
            "GONG_WEBHOOK_SECRET or GONG_WEBHOOK_TOKEN (or their _FILE variants)"
        )
    return WebhookConfig(auth=auth, max_body_bytes=settings.gong_webhook_max_body_bytes)
