"""Load synthetic dashboard data into the PostgreSQL database named by DATABASE_URL (bench helper).

    DATABASE_URL=... python bench/_dashboard_data.py --responses 1000000 --organizations 50

Creates the organizations (two programs each), an analyst per organization (password
"bench-password"), an open pce7 campaign and link (through the ORM), and the responses: one
family, its consent records (care always granted; program improvement granted by 95%), one
submission with synthetic "About your family" answers and its pce7 score per response, with
the real scorer's values, spread over the last 12 months, 40% in Spanish. The bulk rows go
in with PostgreSQL COPY (psycopg 3) on the connection under Django's, one transaction per
chunk; ids of families and submissions are reserved from their identity sequences first, so
consent records, submissions and scores can point at them. The bulk tables' secondary indexes,
unique constraints and foreign keys are dropped for the COPY and created again afterwards
(the same definitions, checked; adding a foreign key checks every row). Then VACUUM (ANALYZE)
of the bulk tables and ANALYZE of the rest. PostgreSQL only.

Prints the load time and rows/s on stderr, and a JSON line on stdout: the organizations'
public ids, their programs' public ids and the analysts' emails. ``--check`` reads the rows
back through the ORM afterwards (counts, JSON decoding, the consent selector).

``--network`` (for bench/network_bench.py) makes every organization a HOPE Innovation Network
member, crosses states and kinds (organization k: state k mod 10, kind k // 10 mod 5, so 500
organizations give 10 of each of the 50 state x kind pairs) and adds a network staff user
(``network@bench.example``, the same password; no support grant, so no second factor), whose
email is in the JSON line as ``network_staff``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hopeful.web.config.settings")

import django

django.setup()

import numpy as np  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from hopeful.framework import get_instrument, score_response, score_table  # noqa: E402
from hopeful.web.accounts.models import User  # noqa: E402
from hopeful.web.families.models import ConsentRecord, Family  # noqa: E402
from hopeful.web.organizations.models import Membership, Organization, Program  # noqa: E402
from hopeful.web.surveys import demographics as demo  # noqa: E402
from hopeful.web.surveys.models import (  # noqa: E402
    Campaign,
    CampaignLink,
    InstrumentScore,
    Submission,
)

#: Responses per COPY transaction (at most; an organization's responses are split in chunks).
CHUNK = 50_000
PASSWORD = "bench-password"  # noqa: S105 - the bench analysts' password
NETWORK_STAFF = "network@bench.example"
STATES = ["WI", "NM", "KS", "SC", "MT", "CA", "TX", "NY", "WA", "GA"]
KINDS = ["clinic", "home_visiting", "school", "community", "faith"]
CONSENT_TEXT_VERSION = "2026-1"
SPANISH_SHARE = 0.40
PROGRAM_IMPROVEMENT_SHARE = 0.95

#: Three-digit ZIP prefixes per state (a handful each; several are restricted areas, stored as
#: "000" exactly as demographics.zip3_from_zip stores them).
ZIP3_BY_STATE = {
    "WI": ["537", "532", "549", "535", "544", "530", "541"],
    "NM": ["871", "875", "880", "874", "873", "878", "884"],
    "KS": ["660", "662", "666", "672", "675", "679"],
    "SC": ["290", "292", "294", "296", "297", "299"],
    "MT": ["590", "591", "594", "596", "598", "599"],
    "CA": ["900", "902", "917", "926", "941", "945", "956", "958"],
    "TX": ["750", "752", "770", "782", "787", "790", "799"],
    "NY": ["100", "102", "104", "112", "117", "142", "146"],
    "WA": ["980", "981", "983", "985", "990", "992"],
    "GA": ["300", "303", "305", "310", "314", "318"],
}

# -- synthetic answers ---------------------------------------------------------------------------


def _answers(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    out = {}
    for k in range(1, 8):
        p = np.array([0.06, 0.08, 0.16, 0.30, 0.36, 0.02, 0.02])
        codes = np.array([1, 2, 3, 4, 5, 7, 9])
        out[f"pce{k}"] = rng.choice(codes, size=n, p=p)
    return out


def _pick(
    rng: np.random.Generator, codes: Sequence[str | None], p: Sequence[float], n: int
) -> list:
    """``n`` draws of ``codes`` (None: not answered) with probabilities ``p``."""
    p = np.asarray(p, dtype=float)
    index = rng.choice(len(codes), size=n, p=p / p.sum())
    return [codes[i] for i in index]


RACE_CODES = [
    "hispanic_latino", "white", "black_african_american", "american_indian_alaska_native",
    "asian", "middle_eastern_north_african", "native_hawaiian_pacific_islander", "another",
]  # fmt: skip


def _race_weights(state: str, spanish: bool) -> np.ndarray:
    """Race/ethnicity weights of RACE_CODES: Spanish speakers mostly Hispanic or Latino/a."""
    if spanish:
        w = [0.90, 0.03, 0.01, 0.03, 0.005, 0.005, 0.005, 0.015]
    else:
        w = [0.14, 0.50, 0.18, 0.03, 0.07, 0.02, 0.01, 0.05]
    w = np.array(w)
    if state in ("NM", "MT", "WA"):
        w[3] *= 4  # more American Indian or Alaska Native families
    if state in ("CA", "WA", "NY"):
        w[4] *= 2  # more Asian families
        w[6] *= 2
    if state in ("GA", "SC"):
        w[2] *= 2.5
    return w / w.sum()


def _demographics(
    rng: np.random.Generator, state: str, spanish: np.ndarray, affirmed: np.ndarray
) -> list[str]:
    """Stored "About your family" answers (the JSON text of each), as the app stores them:
    keys of demographics.STORED_KEYS, a missing key for "not answered", race/ethnicity a
    sorted list (about 8% of those who answer choose two codes), "prefer_not_to_say" alone.

    Families with fewer positive experiences (``affirmed``, 0-7) are somewhat more often in
    the lowest income band, so the equity breakdown has differences to show.
    """
    n = len(spanish)
    # race / ethnicity: 7% skip, 5% prefer not to say, else one or two codes
    race: list[list[str] | None] = [None] * n
    roll = rng.random(n)
    second = rng.random(n) < 0.08
    for lang_es in (False, True):
        rows = np.flatnonzero((spanish == lang_es) & (roll >= 0.12))
        w = _race_weights(state, lang_es)
        first = rng.choice(len(RACE_CODES), size=len(rows), p=w)
        other = rng.choice(len(RACE_CODES), size=len(rows), p=w)
        for r, a, b in zip(rows.tolist(), first.tolist(), other.tolist(), strict=True):
            codes = {RACE_CODES[a], RACE_CODES[b]} if second[r] else {RACE_CODES[a]}
            race[r] = sorted(codes)
    for r in np.flatnonzero((roll >= 0.07) & (roll < 0.12)).tolist():
        race[r] = [demo.PREFER_NOT]

    # income: lower when fewer positive experiences; 10% skip, 6% prefer not to say
    income: list[str | None] = [None] * n
    low = np.clip(0.45 - 0.05 * affirmed, 0.05, 0.45)
    u = rng.random(n)
    bands = np.where(
        u < 0.10, 0, np.where(u < 0.16, 1, 2 + (rng.random(n) >= low).astype(int))
    )  # 0 skip, 1 prefer not, 2 <25k, 3 higher
    higher = _pick(rng, ["25-50k", "50-100k", "100k+"], [0.40, 0.38, 0.22], n)
    for r, b in enumerate(bands.tolist()):
        if b == 1:
            income[r] = demo.PREFER_NOT
        elif b == 2:
            income[r] = "<25k"
        elif b == 3:
            income[r] = higher[r]
    gender = _pick(
        rng, [None, "woman", "man", "another_gender", demo.PREFER_NOT],
        [0.08, 0.66, 0.21, 0.02, 0.03], n,
    )  # fmt: skip
    child_gender = _pick(
        rng, [None, "girl", "boy", "another_gender", demo.PREFER_NOT],
        [0.12, 0.42, 0.42, 0.015, 0.025], n,
    )  # fmt: skip
    disability = _pick(rng, [None, "yes", "no", demo.PREFER_NOT], [0.15, 0.17, 0.63, 0.05], n)
    zips = ZIP3_BY_STATE.get(state, ["537"])
    zip_weights = 1.0 / np.arange(1, len(zips) + 1)  # a few big areas, a tail of smaller ones
    zip_weights = 0.84 * zip_weights / zip_weights.sum()
    zip3 = _pick(
        rng,
        [None, demo.PREFER_NOT]
        + [demo.RESTRICTED_ZIP3_STORED if z in demo.RESTRICTED_ZIP3 else z for z in zips],
        [0.13, 0.03, *zip_weights],
        n,
    )
    out = []
    for i in range(n):
        d: dict[str, Any] = {}
        if race[i] is not None:
            d["race_ethnicity"] = race[i]
        for key, column in (
            ("income", income), ("gender", gender), ("child_gender", child_gender),
            ("disability", disability), (demo.ZIP3_KEY, zip3),
        ):  # fmt: skip
            if column[i] is not None:
                d[key] = column[i]
        out.append(json.dumps(d))
    return out


def _uuid_hex(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` random version-4 UUIDs as 32 hex digits (PostgreSQL's uuid input accepts them)."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    text = raw.tobytes().hex()
    return [text[i : i + 32] for i in range(0, 32 * n, 32)]


def _timestamps(now: dt.datetime, days_ago: np.ndarray) -> list[str]:
    """Time-zone-aware timestamps (ISO 8601 in UTC, with "Z") ``days_ago`` before ``now``."""
    base = np.datetime64(now.astimezone(dt.UTC).replace(tzinfo=None), "us")
    moments = base - (days_ago * 86_400e6).astype("timedelta64[us]")
    return [f"{s}Z" for s in np.datetime_as_string(moments, unit="us")]


# -- COPY -------------------------------------------------------------------------------------


def _columns(model: type[models.Model], given: Sequence[str]) -> tuple[list[str], list[Callable]]:
    """The table columns to COPY for ``model``: the ``given`` attnames first, then any other
    concrete field the loader does not know (added to the model since): its default, computed
    per row when callable, or NULL. A NOT NULL field without a default stops the load."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = sorted(set(given) - set(fields))
    if unknown:
        raise SystemExit(f"{model.__name__} has no field(s) {unknown}: update the loader")
    columns = [fields[a].column for a in given]
    extra: list[Callable] = []
    for attname, field in fields.items():
        if attname in given or field.primary_key:
            continue
        if field.has_default():
            columns.append(field.column)
            extra.append(lambda f=field: f.get_db_prep_save(f.get_default(), connection))
        elif field.null:
            columns.append(field.column)
            extra.append(lambda: None)
        else:
            raise SystemExit(
                f"{model.__name__}.{attname} is NOT NULL without a default: update the loader"
            )
        print(f"note: {model.__name__}.{attname} filled with its default", file=sys.stderr)
    return columns, extra


class Table:
    """One bulk table: its COPY statement and the extra-column fillers."""

    def __init__(self, model: type[models.Model], given: Sequence[str]) -> None:
        self.model = model
        self.columns, self.extra = _columns(model, given)
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        self.sql = f"COPY {table} ({cols}) FROM STDIN"
        self.rows = 0

    def copy(self, cursor: Any, rows: Iterable[tuple]) -> None:
        with cursor.copy(self.sql) as copy:
            if self.extra:
                for row in rows:
                    copy.write_row((*row, *(fill() for fill in self.extra)))
                    self.rows += 1
            else:
                for row in rows:
                    copy.write_row(row)
                    self.rows += 1


def _secondary(cursor: Any, tables: Sequence[str]) -> list[tuple[str, str, str, str]]:
    """The tables' indexes other than the primary keys, their unique constraints (those no
    foreign key relies on) and their foreign keys: ``(kind, table, name, definition)``, in the
    order to create them (indexes, unique constraints, then foreign keys)."""
    cursor.execute(
        """
        SELECT 'index', i.indrelid::regclass::text, i.indexrelid::regclass::text,
               pg_get_indexdef(i.indexrelid)
          FROM pg_index i
         WHERE i.indrelid = ANY(%(tables)s::regclass[]) AND NOT i.indisprimary
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        UNION ALL
        SELECT CASE c.contype WHEN 'u' THEN 'unique' ELSE 'foreign' END,
               c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
          FROM pg_constraint c
         WHERE c.conrelid = ANY(%(tables)s::regclass[])
           AND (c.contype = 'f' OR (c.contype = 'u' AND NOT EXISTS (
                SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)))
        """,
        {"tables": list(tables)},
    )
    order = {"index": 0, "unique": 1, "foreign": 2}
    return sorted(cursor.fetchall(), key=lambda r: (order[r[0]], r[1], r[2]))


def _drop(cursor: Any, secondary: Sequence[tuple[str, str, str, str]]) -> None:
    """Drop them (foreign keys first): COPY then only appends to the heap and the primary key,
    and they are built again in one pass each afterwards (:func:`_create`)."""
    qn = connection.ops.quote_name
    for kind, table, name, _definition in reversed(secondary):
        if kind == "index":
            cursor.execute(f"DROP INDEX {qn(name)}")
        else:
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")


def _create(cursor: Any, secondary: Sequence[tuple[str, str, str, str]]) -> None:
    """Create them again, as they were (adding a foreign key checks every row at once)."""
    qn = connection.ops.quote_name
    for kind, table, name, definition in secondary:
        if kind == "index":
            cursor.execute(definition)
        else:
            cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")


def _reserve_ids(cursor: Any, model: type[models.Model], n: int) -> list[int]:
    """``n`` ids from the table's identity sequence (other writers can never take them)."""
    table = model._meta.db_table
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        (table, n),
    )
    return [row[0] for row in cursor.fetchall()]


# -- setup through the ORM ----------------------------------------------------------------------


def _setup(n_orgs: int, now: dt.datetime, network: bool = False) -> list[dict[str, Any]]:
    pce7 = get_instrument("pce7")
    password = make_password(PASSWORD)  # hashed once: the same hash for every analyst
    orgs = []
    with transaction.atomic():
        for k in range(n_orgs):
            org = Organization.objects.create(
                name=f"Bench organization {k + 1:02d}",
                kind=KINDS[(k // len(STATES) if network else k) % len(KINDS)],
                state=STATES[k % len(STATES)],
                network_member=network,
            )
            programs = [Program.objects.create(organization=org, name=f"Site {j}") for j in (1, 2)]
            analyst = User.objects.create_user(f"analyst{k + 1}@bench.example", None)
            analyst.password = password
            analyst.save(update_fields=["password"])
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
            orgs.append({
                "org": org, "programs": programs, "campaign": campaign, "link": link,
                "analyst": analyst,
            })  # fmt: skip
    return orgs


# -- the load -----------------------------------------------------------------------------------


FAMILY = ("public_id", "organization_id", "program_id", "display_name", "preferred_language",
          "contact_email", "contact_phone", "created_at")  # fmt: skip
CONSENT = ("public_id", "organization_id", "family_id", "purpose", "granted", "text_version",
           "language", "recorded_at")  # fmt: skip
SUBMISSION = ("public_id", "client_uuid", "payload_hash", "organization_id", "program_id",
              "campaign_id", "link_id", "family_id", "language", "answers", "demographics",
              "submitted_at")  # fmt: skip
SCORE = ("organization_id", "submission_id", "instrument_id", "instrument_version", "values",
         "reason")  # fmt: skip


def load(n_responses: int, n_orgs: int, seed: int, network: bool = False) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        raise SystemExit(
            f"bench/_dashboard_data.py loads with PostgreSQL COPY; DATABASE_URL names a "
            f"{connection.vendor} database"
        )
    rng = np.random.default_rng(seed)  # the data: reproducible
    now = timezone.now()
    started = time.perf_counter()
    orgs = _setup(n_orgs, now, network)
    if network:
        User.objects.create_user(NETWORK_STAFF, PASSWORD, is_network_staff=True)
    setup_seconds = time.perf_counter() - started

    connection.ensure_connection()
    raw = connection.connection  # psycopg 3
    families = Table(Family, ("id", *FAMILY))
    consents = Table(ConsentRecord, CONSENT)
    submissions = Table(Submission, ("id", *SUBMISSION))
    scores = Table(InstrumentScore, SCORE)

    tables = (families, consents, submissions, scores)
    bulk = [t.model._meta.db_table for t in tables]
    with transaction.atomic(), raw.cursor() as cursor:
        secondary = _secondary(cursor, bulk)
        _drop(cursor, secondary)
    try:
        done = _copy_responses(raw, orgs, tables, n_responses // n_orgs, rng, now)
    finally:
        copied = time.perf_counter()
        with transaction.atomic(), raw.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            _create(cursor, secondary)
            if _secondary(cursor, bulk) != secondary:
                raise SystemExit("the indexes and constraints differ from before the load")
    indexed = time.perf_counter()
    with connection.cursor() as cursor:
        for table in bulk:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
        cursor.execute("ANALYZE")
    finished = time.perf_counter()
    rows = sum(t.rows for t in tables)
    copy_seconds = copied - started - setup_seconds
    print(
        f"loaded {done:,} responses ({rows:,} rows: {families.rows:,} families, "
        f"{consents.rows:,} consent records, {submissions.rows:,} submissions, {scores.rows:,} "
        f"scores) in {finished - started:.1f} s = {rows / (finished - started):,.0f} rows/s, "
        f"{done / (finished - started):,.0f} responses/s; setup {setup_seconds:.1f} s, COPY "
        f"{copy_seconds:.1f} s ({rows / copy_seconds:,.0f} rows/s), {len(secondary)} indexes "
        f"and constraints {indexed - copied:.1f} s, VACUUM ANALYZE {finished - indexed:.1f} s",
        file=sys.stderr,
    )
    return {
        "organizations": [str(o["org"].public_id) for o in orgs],
        "programs": [[str(p.public_id) for p in o["programs"]] for o in orgs],
        "analysts": [o["analyst"].email for o in orgs],
        **({"network_staff": NETWORK_STAFF} if network else {}),
        "responses": done,
        "rows": rows,
        "load_seconds": finished - started,
        "load_parts": {
            "setup": setup_seconds,
            "copy": copy_seconds,
            "indexes": indexed - copied,
            "vacuum_analyze": finished - indexed,
        },
    }


def _copy_responses(
    raw: Any,
    orgs: list[dict[str, Any]],
    tables: tuple[Table, Table, Table, Table],
    per_org: int,
    rng: np.random.Generator,
    now: dt.datetime,
) -> int:
    """COPY ``per_org`` responses of each organization, one transaction per chunk."""
    families, consents, submissions, scores = tables
    pce7 = get_instrument("pce7")
    outputs = list(pce7.output_ids)
    ids_rng = np.random.default_rng()  # public ids and client UUIDs: never the same twice
    started = time.perf_counter()
    shown = 0.0
    done = 0
    for o in orgs:
        org_id, state = o["org"].pk, o["org"].state
        program_ids = [p.pk for p in o["programs"]]
        campaign_id, link_id = o["campaign"].pk, o["link"].pk
        for start in range(0, per_org, CHUNK):
            n = min(CHUNK, per_org - start)
            answers = _answers(rng, n)
            scored = score_table(pce7, answers)
            affirmed = sum(
                (answers[f"pce{k}"] >= 4) & (answers[f"pce{k}"] <= 5) for k in range(1, 8)
            )
            days = rng.uniform(0, 365, n)
            spanish = rng.random(n) < SPANISH_SHARE
            consent_pi = (rng.random(n) < PROGRAM_IMPROVEMENT_SHARE).tolist()
            language = np.where(spanish, "es", "en").tolist()
            when = _timestamps(now, days)
            program = [program_ids[i % 2] for i in range(n)]
            demographics = _demographics(rng, state, spanish, affirmed)
            items = [answers[f"pce{k}"].tolist() for k in range(1, 8)]
            answer_json = [
                json.dumps({"pce7": {f"pce{k + 1}": v for k, v in enumerate(codes)}})
                for codes in zip(*items, strict=True)
            ]
            values = [scored.column(oid) for oid in outputs]
            score_json = [
                json.dumps(dict(zip(outputs, v, strict=True))) for v in zip(*values, strict=True)
            ]
            reasons = [str(r) for r in scored.reason]
            with transaction.atomic(), raw.cursor() as cursor:
                family_ids = _reserve_ids(cursor, Family, n)
                submission_ids = _reserve_ids(cursor, Submission, n)
                fam_uuid = _uuid_hex(ids_rng, n)
                families.copy(cursor, (
                    (family_ids[i], fam_uuid[i], org_id, program[i], f"F{done + i}", language[i],
                     "", "", when[i])
                    for i in range(n)
                ))  # fmt: skip
                consent_uuid = _uuid_hex(ids_rng, 2 * n)
                consents.copy(cursor, (
                    row
                    for i in range(n)
                    for row in (
                        (consent_uuid[2 * i], org_id, family_ids[i], "care", True,
                         CONSENT_TEXT_VERSION, language[i], when[i]),
                        (consent_uuid[2 * i + 1], org_id, family_ids[i], "program_improvement",
                         consent_pi[i], CONSENT_TEXT_VERSION, language[i], when[i]),
                    )
                ))  # fmt: skip
                sub_uuid = _uuid_hex(ids_rng, n)
                client_uuid = _uuid_hex(ids_rng, n)
                submissions.copy(cursor, (
                    (submission_ids[i], sub_uuid[i], client_uuid[i], "0" * 64, org_id, program[i],
                     campaign_id, link_id, family_ids[i], language[i], answer_json[i],
                     demographics[i], when[i])
                    for i in range(n)
                ))  # fmt: skip
                scores.copy(cursor, (
                    (org_id, submission_ids[i], "pce7", pce7.version, score_json[i], reasons[i])
                    for i in range(n)
                ))  # fmt: skip
            done += n
            elapsed = time.perf_counter() - started
            if elapsed >= shown + 5 or done == per_org * len(orgs):
                shown = elapsed
                print(f"{done:,} responses, {elapsed:.0f} s", file=sys.stderr, flush=True)
    return done


# -- reading it back ----------------------------------------------------------------------------


def check(result: dict[str, Any]) -> None:
    """Read the rows back through the ORM; raise SystemExit when something does not add up."""
    from hopeful.web.families.selectors import with_consent

    n = result["responses"]
    problems = []
    counts = {
        "families": Family.objects.count(),
        "submissions": Submission.objects.count(),
        "scores": InstrumentScore.objects.count(),
        "consent records": ConsentRecord.objects.count(),
    }
    expected = {"families": n, "submissions": n, "scores": n, "consent records": 2 * n}
    problems += [
        f"{k}: {counts[k]:,} != {expected[k]:,}" for k in counts if counts[k] != expected[k]
    ]
    org = Organization.objects.get(public_id=result["organizations"][0])
    sub = Submission.objects.filter(organization=org).select_related("family", "program").first()
    if sub is None:
        raise SystemExit("check: no submission read back")
    if not isinstance(sub.answers, dict) or set(sub.answers.get("pce7", {})) != {
        f"pce{k}" for k in range(1, 8)
    }:
        problems.append(f"answers decode to {sub.answers!r}")
    if not isinstance(sub.demographics, dict):
        problems.append(f"demographics decode to {sub.demographics!r}")
    score = sub.scores.get()
    if not isinstance(score.values, dict) or "score" not in score.values:
        problems.append(f"score values decode to {score.values!r}")
    # a sample: stored scores are what the scorer gives for the stored answers, and the
    # stored demographics pass the app's strict check
    pce7 = get_instrument("pce7")
    bounds = InstrumentScore.objects.aggregate(low=models.Min("pk"), high=models.Max("pk"))
    picks = np.random.default_rng().integers(bounds["low"], bounds["high"] + 1, size=500)
    sample = InstrumentScore.objects.select_related("submission").filter(pk__in=picks.tolist())
    for stored in sample:
        again = score_response(pce7, stored.submission.answers["pce7"], on_invalid="reason")
        if (again.values, again.reason) != (stored.values, stored.reason):
            problems.append(f"score of submission {stored.submission_id} differs from the scorer")
            break
        try:
            demo.demographics_check(stored.submission.demographics)
        except demo.DemographicsError as exc:
            problems.append(f"demographics {stored.submission.demographics!r}: {exc}")
            break
    if sub.family.created_at != sub.submitted_at or timezone.is_naive(sub.submitted_at):
        problems.append("family and submission times differ or are naive")
    in_org = Submission.objects.filter(organization=org)
    total = in_org.count()
    consenting = with_consent(in_org, "program_improvement").count()
    care = with_consent(in_org, "care").count()
    share = consenting / total if total else 0.0

    def off(observed: float, p: float, at_least: float) -> bool:
        """Farther from ``p`` than sampling explains (4 standard errors) or ``at_least``."""
        return abs(observed - p) > max(at_least, 4 * (p * (1 - p) / max(total, 1)) ** 0.5)

    if off(share, PROGRAM_IMPROVEMENT_SHARE, 0.02):
        problems.append(f"program-improvement consent {share:.1%}, expected about 95%")
    if care != total:
        problems.append(f"care consent {care:,} of {total:,}")
    spanish = in_org.filter(language="es").count() / total
    if off(spanish, SPANISH_SHARE, 0.03):
        problems.append(f"Spanish {spanish:.1%}, expected about 40%")
    answered = in_org.filter(demographics__has_key="race_ethnicity").count() / total
    print(
        f"check: {', '.join(f'{k} {v:,}' for k, v in counts.items())}; first organization: "
        f"{total:,} submissions, {share:.1%} consenting to program improvement, {spanish:.1%} "
        f"Spanish, {answered:.1%} answered race/ethnicity; e.g. {sub.demographics}",
        file=sys.stderr,
    )
    if problems:
        raise SystemExit("check failed: " + "; ".join(problems))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--responses", type=int, default=1_000_000)
    ap.add_argument("--organizations", type=int, default=50)
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--check", action="store_true", help="read the rows back through the ORM")
    ap.add_argument("--network", action="store_true", help="network members and a staff user")
    args = ap.parse_args()
    result = load(args.responses, args.organizations, args.seed, args.network)
    if args.check:
        check(result)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
