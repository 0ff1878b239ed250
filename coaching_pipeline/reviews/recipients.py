"""Who receives which review: reps and managers from marts.reps, plus the optional recipients file."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from coaching_pipeline.reviews.errors import ReviewConfigError


class RecipientOverrides(BaseModel):
    """COACHING_REVIEW_RECIPIENTS_FILE: extra team-review readers, opt-outs and per-team Slack webhooks."""

    model_config = ConfigDict(extra="forbid")

    team_cc: dict[str, list[str]] = Field(
        default_factory=dict, description="Team name (as in marts.reps) or manager email -> extra addresses."
    )
    opt_out: list[str] = Field(default_factory=list, description="Addresses that never get a review email.")
    slack_webhooks: dict[str, SecretStr] = Field(
        default_factory=dict, description="Team name -> Slack incoming webhook, instead of SLACK_WEBHOOK_URL."
    )

    def opted_out(self, address: str | None) -> bool:
        return address is not None and address.lower() in {a.lower() for a in self.opt_out}

    def cc_for(self, team: str, manager_email: str | None) -> list[str]:
        keys = {team.lower(), (manager_email or "").lower()}
        found = [a for key, addresses in self.team_cc.items() if key.lower() in keys for a in addresses]
        return list(dict.fromkeys(found))

    def webhook_for(self, team: str) -> tuple[str, SecretStr] | None:
        """(label, webhook) of the team's own Slack webhook, if the file names one."""
        for key, webhook in self.slack_webhooks.items():
            if key.lower() == team.lower():
                return key, webhook
        return None


def load_overrides(path: Path | None) -> RecipientOverrides:
    """The recipients file, or no overrides; a broken file fails with its name and the field at fault."""
    if path is None:
        return RecipientOverrides()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return RecipientOverrides.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise ReviewConfigError(f"COACHING_REVIEW_RECIPIENTS_FILE {path}: cannot read it: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ReviewConfigError(f"COACHING_REVIEW_RECIPIENTS_FILE {path}: {problems}") from None
