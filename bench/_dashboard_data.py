"""Load synthetic dashboard data into the database named by DATABASE_URL (bench helper).

    DATABASE_URL=... python bench/_dashboard_data.py --responses 1000000 --organizations 50

Creates the organizations (two programs each), an analyst per organization (password
"bench-password"), an open pce7 campaign and link, and the responses: one family, its consent
records, one submission and its pce7 score per response, with the real scorer's values,
spread over the last 12 months, 40% in Spanish, 95% consenting to program improvement.
Prints a JSON line with the organizations' public ids and the analysts' emails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hopeful.web.config.settings")

import django

django.setup()

import numpy as np  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from hopeful.framework import get_instrument, score_table  # noqa: E402
from hopeful.web.accounts.models import User  # noqa: E402
from hopeful.web.families.models import ConsentRecord, Family  # noqa: E402
from hopeful.web.organizations.models import Membership, Organization, Program  # noqa: E402
from hopeful.web.surveys.models import (  # noqa: E402
    Campaign,
    CampaignLink,
    InstrumentScore,
    Submission,
)

BATCH = 5_000
STATES = ["WI", "NM", "KS", "SC", "MT", "CA", "TX", "NY", "WA", "GA"]
KINDS = ["clinic", "home_visiting", "school", "community", "faith"]


def _answers(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    out = {}
    for k in range(1, 8):
        p = np.array([0.06, 0.08, 0.16, 0.30, 0.36, 0.02, 0.02])
        codes = np.array([1, 2, 3, 4, 5, 7, 9])
        out[f"pce{k}"] = rng.choice(codes, size=n, p=p)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--responses", type=int, default=1_000_000)
    ap.add_argument("--organizations", type=int, default=50)
    args = ap.parse_args()
    rng = np.random.default_rng(20261126)
    pyrng = random.Random(20261126)
    pce7 = get_instrument("pce7")
    now = timezone.now()
    orgs = []
    with transaction.atomic():
        for k in range(args.organizations):
            org = Organization.objects.create(
                name=f"Bench organization {k + 1:02d}",
                kind=KINDS[k % len(KINDS)],
                state=STATES[k % len(STATES)],
            )
            programs = [Program.objects.create(organization=org, name=f"Site {j}") for j in (1, 2)]
            analyst = User.objects.create_user(f"analyst{k + 1}@bench.example", "bench-password")
            Membership.objects.create(user=analyst, organization=org, role="analyst")
            campaign = Campaign.objects.create(
                organization=org, program=programs[0], name="Bench",
                instruments=[{"id": "pce7", "version": pce7.version}], languages=["en", "es"],
                status="open", created_by=analyst, opened_at=now,
            )  # fmt: skip
            link = CampaignLink.objects.create(
                organization=org, campaign=campaign, kind="public",
                token_hash=uuid.uuid4().hex + uuid.uuid4().hex, created_by=analyst,
            )  # fmt: skip
            orgs.append((org, programs, campaign, link, analyst))
    per_org = args.responses // args.organizations
    done = 0
    for org, programs, campaign, link, _analyst in orgs:
        for start in range(0, per_org, BATCH):
            n = min(BATCH, per_org - start)
            answers = _answers(rng, n)
            scored = score_table(pce7, answers)
            days = rng.uniform(0, 365, n)
            language = np.where(rng.random(n) < 0.4, "es", "en")
            consent_pi = rng.random(n) < 0.95
            families, consents, submissions, scores = [], [], [], []
            for i in range(n):
                program = programs[i % 2]
                when = now - dt.timedelta(days=float(days[i]))
                family = Family(
                    organization=org, program=program, display_name=f"F{done + i}",
                    preferred_language=language[i], created_at=when,
                )  # fmt: skip
                families.append(family)
            with transaction.atomic():
                Family.objects.bulk_create(families, batch_size=BATCH)
                for i, family in enumerate(families):
                    for purpose, granted in (
                        ("care", True),
                        ("program_improvement", bool(consent_pi[i])),
                    ):
                        consents.append(
                            ConsentRecord(
                                organization=org,
                                family=family,
                                purpose=purpose,
                                granted=granted,
                                text_version="2026-1",
                                language=family.preferred_language,
                                recorded_at=family.created_at,
                            )
                        )
                    submissions.append(
                        Submission(
                            client_uuid=uuid.UUID(int=pyrng.getrandbits(128), version=4),
                            payload_hash="0" * 64,
                            organization=org,
                            program=family.program,
                            campaign=campaign,
                            link=link,
                            family=family,
                            language=family.preferred_language,
                            answers={"pce7": {k: int(v[i]) for k, v in answers.items()}},
                            submitted_at=family.created_at,
                        )
                    )
                ConsentRecord.objects.bulk_create(consents, batch_size=BATCH)
                Submission.objects.bulk_create(submissions, batch_size=BATCH)
                for i, submission in enumerate(submissions):
                    row = scored.row(i)
                    scores.append(
                        InstrumentScore(
                            organization=org,
                            submission=submission,
                            instrument_id="pce7",
                            instrument_version=pce7.version,
                            values=dict(row.values),
                            reason=row.reason,
                        )
                    )
                InstrumentScore.objects.bulk_create(scores, batch_size=BATCH)
            done += n
            print(f"\r{done:,} responses", end="", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(file=sys.stderr)
    print(json.dumps({
        "organizations": [str(o.public_id) for o, *_ in orgs],
        "analysts": [a.email for *_, a in orgs],
        "responses": done,
    }))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
