"""The exactly-once check of a crash soak, run inside Django against the run's database (in a
process of its own: see :func:`check_in_process`).

Every submission acknowledged exists exactly once, with the answers sent and one score per
questionnaire, equal to the score :func:`hopeful.framework.score_response` gives now; nothing
else exists: no submission whose client UUID was never sent, no family without its
submission (a half-written one), no duplicate. A submission sent but never acknowledged (the
client gave up) may be stored or not; it is counted apart.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from tests.soak.harness import django

SCRIPT = """
import json, sys
from tests.soak.verify import check
records = json.loads(open(sys.argv[1]).read())
print(json.dumps(check(records, [int(x) for x in sys.argv[2].split(",")])))
"""


def _normal(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True))


def check(records: list[dict[str, Any]], organization_ids: list[int]) -> dict[str, Any]:
    from hopeful.framework import get_instrument, score_response
    from hopeful.web.families.models import Family
    from hopeful.web.surveys.models import InstrumentScore, Submission

    sent = {r["client_uuid"]: r for r in records}
    acked = {u for u, r in sent.items() if r["acked"]}
    rows = list(
        Submission.objects.filter(organization_id__in=organization_ids).values(
            "id", "client_uuid", "answers", "family_id"
        )
    )
    stored = Counter(str(r["client_uuid"]) for r in rows)
    scores: dict[int, list[dict[str, Any]]] = {}
    for score in InstrumentScore.objects.filter(organization_id__in=organization_ids).values(
        "submission_id", "instrument_id", "instrument_version", "values", "reason"
    ):
        scores.setdefault(score["submission_id"], []).append(score)
    answers_wrong: list[str] = []
    scores_wrong: list[str] = []
    for row in rows:
        uid = str(row["client_uuid"])
        record = sent.get(uid)
        if record is not None and _normal(row["answers"]) != _normal(record["answers"]):
            answers_wrong.append(uid)
        mine = scores.get(row["id"], [])
        if sorted(s["instrument_id"] for s in mine) != sorted(row["answers"]):
            scores_wrong.append(uid)
            continue
        for s in mine:
            instrument = get_instrument(s["instrument_id"], s["instrument_version"])
            again = score_response(instrument, row["answers"][s["instrument_id"]])
            if _normal(dict(again.values)) != _normal(s["values"]) or (
                again.reason[:500] != s["reason"]
            ):
                scores_wrong.append(uid)
    families = Family.objects.filter(organization_id__in=organization_ids)
    result = {
        "sent": len(sent),
        "acked": len(acked),
        "stored": len(rows),
        "acked_missing": len(acked - set(stored)),
        "duplicates": sum(n - 1 for n in stored.values() if n > 1),
        "stored_never_sent": len(set(stored) - set(sent)),
        "stored_not_acked": len((set(stored) & set(sent)) - acked),
        "answers_wrong": len(answers_wrong),
        "scores_wrong": len(scores_wrong),
        "scores": sum(len(v) for v in scores.values()),
        "families_without_submission": families.exclude(submissions__isnull=False).count(),
    }
    result["ok"] = all(
        result[k] == 0
        for k in (
            "acked_missing",
            "duplicates",
            "stored_never_sent",
            "answers_wrong",
            "scores_wrong",
            "families_without_submission",
        )
    )
    return result


def check_in_process(
    env: dict[str, str], records: list[dict[str, Any]], organization_ids: list[int]
) -> dict[str, Any]:
    """:func:`check` in a fresh process against the run's database."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(records, handle)
    try:
        return dict(django(SCRIPT, env, handle.name, ",".join(str(i) for i in organization_ids)))
    finally:
        Path(handle.name).unlink(missing_ok=True)
