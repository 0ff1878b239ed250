"""The receiver refuses to start unless an authentication method is configured, and says how in one line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coaching_pipeline.cli.app import app
from coaching_pipeline.settings import Settings, get_settings
from coaching_pipeline.webhooks.config import WebhookConfigError, webhook_config
from coaching_sandbox.simulators.gong_webhooks import GongWebhookRule


def test_webhook_config_refuses_no_authentication() -> None:
    with pytest.raises(WebhookConfigError, match="GONG_WEBHOOK_SECRET"):
        webhook_config(Settings())


def test_webhook_config_needs_the_url_the_jwt_names() -> None:
    key = GongWebhookRule("https://x.example/webhooks/gong").public_key_pem()
    with pytest.raises(WebhookConfigError, match="GONG_WEBHOOK_URL"):
        webhook_config(Settings(gong_webhook_public_key=key))


def test_webhook_config_reads_the_secret_from_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "secret"
    path.write_text("from-a-file\n")
    config = webhook_config(Settings(gong_webhook_secret_file=path))
    assert (config.auth.configured, config.auth.hmac_secret) == (["hmac"], b"from-a-file")


def test_cli_webhooks_serve_refuses_to_start_without_authentication(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GONG_WEBHOOK_PUBLIC_KEY", "GONG_WEBHOOK_SECRET", "GONG_WEBHOOK_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["webhooks", "serve", "--port", "8999"])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: no webhook authentication configured")
    assert len(result.output.strip().splitlines()) == 1
