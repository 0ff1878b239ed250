"""Deterministic synthetic warehouse rows, users to cost ledger, shared by the dbt tests and the benchmark."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

DIMENSIONS = ("discovery", "product_knowledge", "objection_handling", "engagement")
CALL_TYPES = ("discovery", "demo", "technical_deep_dive", "renewal", "other")
CRITERIA = {
    "discovery": ("situation", "pain", "impact", "decision_process"),
    "product_knowledge": ("accuracy", "positioning", "tailoring"),
    "objection_handling": ("listen", "ask", "respond", "confirm"),
    "engagement": ("talk_balance", "questions", "next_steps"),
}
V2_CRITERIA = ("situation", "pain", "metrics", "critical_event", "decision_process")
PHRASES = ("walk me through", "I hear you", "for example", "next step", "unlike Airflow", "tell me more")
CLAUDE_MODEL = "claude-sonnet-5-5"
OFFLINE_MODEL = "offline-heuristic-v1"


@dataclass(frozen=True)
class SyntheticSpec:
    """How much to generate; the same spec and seed always give the same rows."""

    start_date: date = date(2026, 8, 3)
    days: int = 42
    calls_per_day: int = 6
    teams: tuple[str, ...] = ("Enterprise", "Mid-Market", "Commercial")
    reps_per_team: int = 5
    discovery_v2_from: date | None = date(2026, 9, 7)
    seed: int = 7
    transcripts: bool = True
    coverage_calls: bool = True
    transcript_text: bool = False  # normalized turns with words to search (the MCP benchmark); else '{}'

    @property
    def dates(self) -> list[date]:
        return [self.start_date + timedelta(days=i) for i in range(self.days)]


@dataclass(frozen=True)
class _Call:
    spec: SyntheticSpec
    rng: random.Random
    day: date
    call_id: str
    index: int
    rep: dict[str, Any]


@dataclass
class Rows:
    """Rows per table, in COPY column order."""

    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.tables.setdefault(table, []).append(row)


def users(spec: SyntheticSpec) -> list[dict[str, Any]]:
    """A manager per team, reps cycling AE/SE/CSM, one inactive rep and one rep without a team."""
    people: list[dict[str, Any]] = []
    roles = ("AE", "SE", "CSM")
    for t, team in enumerate(spec.teams):
        manager = f"u-mgr-{t}"
        people.append(_user(manager, "Morgan", f"Lead{t}", f"Sales Manager, {team}", None, "MANAGER", team))
        for r in range(spec.reps_per_team):
            role = roles[r % len(roles)]
            people.append(_user(f"u-{t}-{r}", f"Rep{r}", f"Team{t}", role, manager, role, team))
    people[-1]["is_active"] = False
    people.append(_user("u-floater", "Flo", "Ater", "AE", None, "AE", None))
    return people


def _user(uid: str, first: str, last: str, title: str, mgr: str | None, role: str, team: str | None) -> dict:
    return {
        "user_id": uid,
        "email": f"{uid}@example.com",
        "first_name": first,
        "last_name": last,
        "title": title,
        "manager_id": mgr,
        "is_active": True,
        "role": role,
        "team": team,
    }


def rubric_content(dimension: str, version: str) -> dict[str, Any]:
    ids = V2_CRITERIA if version == "v2" else CRITERIA[dimension]
    weight = round(1 / len(ids), 6)
    criteria = [
        {
            "id": cid,
            "name": cid.replace("_", " ").title(),
            "description": f"{cid} done well",
            "weight": weight,
            "applies_to": ["SE", "AE", "CSM"],
            "drills": [f"Practise {cid.replace('_', ' ')}"],
        }
        for cid in ids
    ]
    return {
        "dimension": dimension,
        "version": version,
        "title": f"{dimension} {version}",
        "method": "SPICED",
        "description": dimension,
        "criteria": criteria,
    }


def reference_rows(spec: SyntheticSpec) -> Rows:
    rows = Rows()
    for user in users(spec):
        rows.add("raw.users", (*user.values(), json.dumps({"id": user["user_id"]})))
    versions = [(d, "v1") for d in DIMENSIONS] + ([("discovery", "v2")] if spec.discovery_v2_from else [])
    for dimension, version in versions:
        content = rubric_content(dimension, version)
        rows.add("coaching.rubrics", (dimension, version, f"hash-{dimension}-{version}", json.dumps(content)))
    return rows


def day_rows(spec: SyntheticSpec, days: Iterable[date], *, calls_per_day: int | None = None) -> Rows:
    """Calls with transcripts, analyses, stats, failures and ledger rows for each day; same day, same rows."""
    rows = Rows()
    reps = [u for u in users(spec) if u["role"] != "MANAGER"]
    skill = {
        (u["user_id"], d): random.Random(f"{spec.seed}-{u['user_id']}-{d}").uniform(1.6, 4.4)
        for u in reps
        for d in DIMENSIONS
    }
    for day in days:
        rng = random.Random(f"{spec.seed}-{day.isoformat()}")
        count = calls_per_day or spec.calls_per_day
        for n in range(count):
            rep = reps[rng.randrange(len(reps))]
            _call(rows, _Call(spec, rng, day, f"call-{day:%Y%m%d}-{n:05d}", n, rep), skill)
        if spec.coverage_calls:
            _coverage_calls(rows, spec, day, count, reps)
    return rows


COVERAGE_CASES = ("waiting", "invalid", "internal_scope", "no_external_participant")


def _coverage_calls(rows: Rows, spec: SyntheticSpec, day: date, first: int, reps: list[dict[str, Any]]) -> None:
    """One call a day that is not analysed (waiting for its transcript, invalid, or skipped as internal, in
    turn), and an unidentified-speaker warning on one analysed call (once a week also a prompt-injection
    content flag), each from its own generator so the day's other rows stay as they were."""
    rng = random.Random(f"{spec.seed}-{day.isoformat()}-coverage")
    case = COVERAGE_CASES[day.toordinal() % len(COVERAGE_CASES)]
    call_id = f"call-{day:%Y%m%d}-{first:05d}"
    rep = reps[rng.randrange(len(reps))]
    started = datetime.combine(day, time(18), tzinfo=UTC)
    status = {"waiting": "pending", "invalid": "invalid"}.get(case, "ready")
    url = f"https://app.gong.io/call?id={call_id}"
    rows.add("raw.calls", (call_id, day, started, 1800, "internal sync", url, rep["user_id"], "other", "{}", status))
    if case == "invalid":
        rows.add("raw.ingestion_issues", (call_id, "transcript", "error", "empty_transcript", "{}", day))
    if status == "ready":
        if spec.transcripts:
            rows.add("raw.transcripts", (call_id, "{}", "{}", f"sha-{call_id}", 3000, 40, 120))
        rows.add("coaching.analysis_skips", (call_id, day, "Internal", case, "{}"))
    warned = f"call-{day:%Y%m%d}-{rng.randrange(first):05d}"
    rows.add("raw.ingestion_issues", (warned, "transcript", "warning", "unidentified_speaker", "{}", day))
    if day.toordinal() % 7 == 0:
        rows.add("raw.ingestion_issues", (warned, "content", "warning", "prompt_injection", "{}", day))


def _call(rows: Rows, call: _Call, skill: dict[tuple[str, str], float]) -> None:
    rng, day, call_id, rep = call.rng, call.day, call.call_id, call.rep
    started = datetime.combine(day, time(8), tzinfo=UTC) + timedelta(minutes=3 * call.index)
    call_type = CALL_TYPES[rng.randrange(len(CALL_TYPES))]
    url = f"https://app.gong.io/call?id={call_id}"
    calls_row = (call_id, day, started, rng.randint(900, 3600), f"{call_type} call", url, rep["user_id"])
    rows.add("raw.calls", (*calls_row, call_type, "{}", "ready"))
    if call.spec.transcripts:
        normalized = json.dumps(_transcript(call)) if call.spec.transcript_text else "{}"
        rows.add("raw.transcripts", (call_id, "{}", normalized, f"sha-{call_id}", rng.randint(2000, 9000), 40, 120))
    stats = (
        round(rng.uniform(0.3, 0.75), 4),
        round(rng.uniform(40, 220), 2),
        round(rng.uniform(20, 200), 2),
        rng.randint(3, 20),
        rng.randint(0, 8),
        round(rng.uniform(2, 9), 2),
        round(rng.uniform(0.3, 1.5), 3),
    )
    rows.add("coaching.call_interaction_stats", (call_id, rep["user_id"], day, f"sha-{call_id}", *stats))
    versions = [(d, "v1") for d in DIMENSIONS]
    if call.spec.discovery_v2_from and day >= call.spec.discovery_v2_from:
        versions.append(("discovery", "v2"))
    for dimension, version in versions:
        analyzed = started + timedelta(hours=1, seconds=rng.randint(0, 600))
        if rng.random() < 0.03:
            status = "deferred" if rng.random() < 0.5 else "failed"
            failure = (call_id, dimension, version, status, "synthetic", day, analyzed)
            rows.add("coaching.analysis_failures", failure)
            continue
        _analysis(rows, call, dimension, version, skill[(rep["user_id"], dimension)], analyzed)


def _analysis(rows: Rows, call: _Call, dimension: str, version: str, skill: float, analyzed: datetime) -> None:
    rng, call_id = call.rng, call.call_id
    ids = V2_CRITERIA if version == "v2" else CRITERIA[dimension]
    scores = [max(1, min(5, round(rng.gauss(skill, 0.8)))) for _ in ids]
    criterion_scores = [
        {"criterion_id": c, "score": s, "rationale": f"{c}: {s}"} for c, s in zip(ids, scores, strict=True)
    ]
    evidence = [
        {
            "quote": f"{PHRASES[rng.randrange(len(PHRASES))]} ({call_id} {k})",
            "speaker": call.rep["first_name"],
            "start_seconds": float(rng.randint(5, 1800)),
            "criterion_id": ids[rng.randrange(len(ids))],
            "verified": rng.random() < 0.85,
        }
        for k in range(rng.randint(0, 3))
    ]
    offline = rng.random() < 0.1
    model = OFFLINE_MODEL if offline else CLAUDE_MODEL
    key = f"key-{call_id}-{dimension}-{version}"
    overall = round(sum(scores) / len(scores), 2)
    analysis = (call_id, dimension, version, "p1", model, "offline" if offline else "claude", key)
    scored = (overall, json.dumps(criterion_scores), json.dumps(evidence), len(evidence))
    tail = (rng.choice((0, 0, 0, 1)), analyzed)
    rows.add("coaching.call_analyses", (*analysis, f"sha-{call_id}", call.day, call.rep["user_id"], *scored, *tail))
    hit = rng.random() < 0.25
    cost = 0.0 if offline else round(rng.uniform(0.01, 0.08), 6)
    cache_event = (key, call_id, call.day, dimension, model, hit, cost if hit else 0.0, analyzed)
    rows.add("coaching.cache_events", cache_event)
    if hit:
        return
    mode = "offline" if offline else ("batch" if rng.random() < 0.3 else "sync")
    request = (call_id, call.day, dimension, model, mode)
    if not offline and rng.random() < 0.05:
        failed_at = analyzed - timedelta(seconds=30)
        rows.add(
            "coaching.llm_requests",
            (f"req-{key}-1", *request, "error", 1, 0, 0, 0, 0, 0.0, "overloaded", failed_at),
        )
    tokens = (0, 0, 0, 0) if offline else tuple(rng.randint(low, high) for low, high in _TOKEN_RANGES)
    rows.add("coaching.llm_requests", (f"req-{key}", *request, "ok", 1, *tokens, cost, None, analyzed))


LINES = (
    "How do you price it, per run or per seat?",
    "We already use Airflow and it mostly works, but the on-call load is heavy.",
    "Walk me through how a failed run gets noticed today.",
    "Unlike Airflow, there is no DAG file to parse; your flows are plain Python.",
    "The budget for this quarter is already committed, so timing matters.",
    "Work pools let you run on your own infrastructure with serverless push.",
    "Who else is involved in the decision, and what does the process look like?",
    "I hear you on the migration risk; tell me more about what worries you.",
    "Dagster came up in our evaluation too, mostly for asset lineage.",
    "The next step is a technical deep dive with your platform team on Thursday.",
)


def _transcript(call: _Call) -> dict[str, Any]:
    """A short two-speaker transcript of lines drawn from LINES, shaped like transcripts/models.py."""
    speakers = {
        "rep": {"speaker_id": "rep", "name": call.rep["first_name"], "role": "rep", "user_id": call.rep["user_id"]},
        "cust": {"speaker_id": "cust", "name": "Casey Buyer", "role": "customer"},
    }
    turns = []
    for index in range(8):
        start = index * 45_000
        line = LINES[call.rng.randrange(len(LINES))]
        sentence = {"start_ms": start, "end_ms": start + 8_000, "text": line}
        turns.append({"index": index, "speaker_id": ("cust", "rep")[index % 2], "sentences": [sentence]})
    return {"call_id": call.call_id, "rep_user_id": call.rep["user_id"], "speakers": speakers, "turns": turns}


_TOKEN_RANGES = ((3000, 9000), (300, 900), (0, 2000), (0, 6000))
