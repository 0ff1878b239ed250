"""The deployment files agree with each other and with the README: every service it names is in compose with a
health check and the settings it needs, the Helm values carry the same instance rules, the image is pinned."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from coaching_pipeline.defs.ingest import GONG_POOL, gong_users, raw_transcripts
from coaching_pipeline.runner.environment import REPO_ROOT
from coaching_pipeline.settings import Settings

DEPLOY = REPO_ROOT / "deploy"
DAGSTER_SERVICES = ("code-server", "dagster-webserver", "dagster-daemon")


def _yaml(path: str) -> Any:
    return yaml.safe_load((REPO_ROOT / path).read_text(encoding="utf-8"))


def _readme_services() -> list[str]:
    """The services named in the README's "Deploying" table (`| \\`name\\` | ...`)."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deploying", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z-]+)` \|", section, re.MULTILINE)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    services: dict[str, Any] = _yaml("deploy/docker-compose.yml")["services"]
    return services


def test_compose_has_every_service_the_readme_names(compose: dict[str, Any]) -> None:
    named = _readme_services()
    assert set(named) >= {"postgres", *DAGSTER_SERVICES, "mcp", "webhooks"}
    assert [name for name in named if name not in compose] == []


def test_compose_services_have_health_checks(compose: dict[str, Any]) -> None:
    missing = [name for name in _readme_services() if not compose[name].get("healthcheck", {}).get("test")]
    assert missing == []


def test_compose_app_services_get_the_settings_they_need(compose: dict[str, Any]) -> None:
    for name in _readme_services():
        if name == "postgres":
            assert "POSTGRES_PASSWORD" in compose[name]["environment"]
            continue
        service = compose[name]
        assert service["env_file"] == "../.env", name
        assert service["environment"]["DATABASE_URL"].startswith("postgresql://"), name
        assert service["environment"]["DAGSTER_HOME"] == "/opt/dagster/home", name


def test_compose_daemon_and_webserver_can_start_run_containers(compose: dict[str, Any]) -> None:
    for name in ("dagster-daemon", "dagster-webserver"):
        assert "/var/run/docker.sock:/var/run/docker.sock" in compose[name]["volumes"]


def test_compose_serves_mcp_and_webhooks_on_all_interfaces(compose: dict[str, Any]) -> None:
    assert compose["mcp"]["command"][:3] == ["coaching", "mcp", "--http"]
    assert compose["webhooks"]["command"][:3] == ["coaching", "webhooks", "serve"]
    for name in ("mcp", "webhooks"):
        assert "0.0.0.0" in compose[name]["command"]


def test_workspace_points_at_the_code_server(compose: dict[str, Any]) -> None:
    (location,) = _yaml("deploy/workspace.yaml")["load_from"]
    command = compose["code-server"]["command"]
    assert location["grpc_server"]["host"] == "code-server"
    assert str(location["grpc_server"]["port"]) == command[command.index("-p") + 1]
    assert location["grpc_server"]["location_name"] == command[command.index("--location-name") + 1]


def test_production_instance_keeps_the_local_queue_and_pools() -> None:
    local, production = _yaml("dagster.yaml"), _yaml("deploy/dagster.yaml")
    assert production["concurrency"] == local["concurrency"]
    assert production["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert production["storage"] == local["storage"]


def test_production_instance_passes_every_setting_to_run_containers() -> None:
    launcher = _yaml("deploy/dagster.yaml")["run_launcher"]
    assert launcher["class"] == "DockerRunLauncher"
    expected = {"COACHING_DAGSTER_PG_URL", *(name.upper() for name in Settings.model_fields)}
    assert set(launcher["config"]["env_vars"]) == expected


def test_helm_values_match_the_production_instance() -> None:
    values, production = _yaml("deploy/helm/values.yaml"), _yaml("deploy/dagster.yaml")
    runs, pools = values["concurrency"]["runs"], values["concurrency"]["pools"]
    assert values["concurrency"]["enabled"] is True
    assert runs["maxConcurrentRuns"] == production["concurrency"]["runs"]["max_concurrent_runs"]
    assert runs["tagConcurrencyLimits"] == production["concurrency"]["runs"]["tag_concurrency_limits"]
    assert (pools["defaultLimit"], pools["granularity"]) == (1, "op")
    assert values["dagsterDaemon"]["runCoordinator"]["type"] == "QueuedRunCoordinator"
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    assert values["postgresql"]["postgresqlParams"]["options"] == "-csearch_path=dagster"


def test_helm_values_give_every_component_the_settings_secret() -> None:
    values = _yaml("deploy/helm/values.yaml")
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    holders = [
        deployment,
        values["dagsterWebserver"],
        values["dagsterDaemon"],
        values["runLauncher"]["config"]["k8sRunLauncher"],
    ]
    assert all({"name": "coaching-env"} in holder["envSecrets"] for holder in holders)
    assert deployment["includeConfigInLaunchedRuns"]["enabled"] is True


def test_helm_code_location_uses_the_per_step_executor_definitions() -> None:
    (deployment,) = _yaml("deploy/helm/values.yaml")["dagster-user-deployments"]["deployments"]
    args = deployment["codeServerArgs"]
    path = args[args.index("--python-file") + 1]
    assert path == "/app/deploy/k8s_definitions.py"
    assert "k8s_job_executor" in (DEPLOY / "k8s_definitions.py").read_text(encoding="utf-8")
    assert deployment["livenessProbe"] and deployment["startupProbe"]


def test_dockerfile_pins_its_base_and_runs_as_a_user() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11\.\d+-slim-bookworm$", dockerfile, re.MULTILINE)
    assert re.search(r"^USER coaching$", dockerfile, re.MULTILINE)
    assert "prepare_manifest()" in dockerfile and "manifest.json" in dockerfile


def test_gong_steps_share_one_pool() -> None:
    assert gong_users.op.pool == GONG_POOL
    assert raw_transcripts.op.pool == GONG_POOL
