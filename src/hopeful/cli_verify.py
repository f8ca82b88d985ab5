"""``hopeful verify FILE``: check a downloaded certification credential offline (no Django,
no network): its signature against the issuer's keys, its status lists and its dates."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from hopeful.cli_common import EXIT_NOT_VALID, EXIT_OK, CommandError


def _read_text(path: str, what: str) -> str:
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(5 * 1024 * 1024 + 1)
    except OSError as exc:
        raise CommandError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(raw) > 5 * 1024 * 1024:
        raise CommandError(f"{what} {path} is too large")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"{what} {path} is not a text file (UTF-8)") from None


def _read_jwks(path: str) -> dict[str, object]:
    """``--keys``: a JWK set (``{"keys": [...]}``, as /.well-known/jwks.json) or one JWK."""
    try:
        data = json.loads(_read_text(path, "the key file"))
    except ValueError:
        raise CommandError(f"the key file {path} is not JSON") from None
    if isinstance(data, dict) and isinstance(data.get("keys"), list):
        return data
    if isinstance(data, dict) and "kty" in data:
        return {"keys": [data]}
    raise CommandError(f'the key file {path} is not a JWK set ({{"keys": [...]}})')


def _read_status_lists(paths: Sequence[str]) -> dict[str, str]:
    """``--status-list``: files each holding one status list VC-JWT, keyed by the list's URL.

    The URL is read before the signature is checked only to file the list; ``check`` then
    verifies it and that it is the list the credential names."""
    from hopeful.credentials import CredentialError, jwt

    lists: dict[str, str] = {}
    for path in paths:
        token = _read_text(path, "the status list").strip()
        try:
            url = jwt.unverified_payload(token).get("id")
        except CredentialError as exc:
            raise CommandError(f"the status list {path} is unreadable: {exc}") from None
        if not isinstance(url, str) or not url:
            raise CommandError(f"the status list {path} does not say which list it is (no id)")
        lists[url] = token
    return lists


def _parse_at(text: str) -> datetime:
    """``--at``: an ISO 8601 date or date-time; without a time zone it is UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 date-time such as 2028-03-02T09:00:00Z (got {text!r})"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def cmd_verify(args: argparse.Namespace, out: TextIO) -> int:
    from hopeful.credentials import CredentialError, bundle, check
    from hopeful.credentials.report import lines

    try:
        loaded = bundle.load(Path(args.file))
    except CredentialError as exc:
        raise CommandError(str(exc)) from None
    if args.keys is not None:
        # Keys the checker brings are the only ones trusted: the file's own are ignored.
        jwks: dict[str, object] = _read_jwks(args.keys)
    elif loaded.jwks is not None:
        jwks = loaded.jwks
    else:
        raise CommandError(
            f"{args.file} is a bare credential: pass the issuer's public keys with --keys "
            "JWKS.json (saved from the issuer's /.well-known/jwks.json)"
        )
    status_lists = {**loaded.status_lists, **_read_status_lists(args.status_list)}
    now = args.at if args.at is not None else datetime.now(UTC)
    verdict = check(
        loaded.token,
        jwks=jwks,
        status_lists=status_lists,
        now=now,
        require_status=not args.skip_status,
    )
    if args.json:
        print(json.dumps(verdict.as_json(), ensure_ascii=False, indent=2), file=out)
    else:
        for line in lines(verdict, keys_from=args.keys):
            print(line, file=out)
    return EXIT_OK if verdict.is_valid else EXIT_NOT_VALID


def add_verify_parser(sub: Any) -> None:
    """Add ``verify`` to the ``hopeful`` command's subparsers."""
    p_verify = sub.add_parser(
        "verify",
        help="check a downloaded certification credential offline",
        description=(
            "Check a HOPEful credential: its signature, whether it is revoked or suspended, and "
            "its dates. FILE is the credential file downloaded from the site (a bundle with the "
            "issuer's keys and the status lists as of download) or a bare VC-JWT. Nothing is "
            "fetched: the check uses only the files given, so the status shown is the status "
            "as of the lists' date. Keys inside the file are only as trustworthy as the file: "
            "compare the printed key with the issuer's /.well-known/jwks.json, or pass those "
            "keys with --keys (then the file's own keys are ignored). Exit status: 0 valid, "
            "1 expired, suspended, revoked or invalid, 2 unreadable input."
        ),
    )
    p_verify.add_argument("file", metavar="FILE", help="credential bundle (.json) or VC-JWT")
    p_verify.add_argument(
        "--keys",
        metavar="JWKS.json",
        default=None,
        help="the issuer's public keys (required for a bare VC-JWT); replaces the file's keys",
    )
    p_verify.add_argument(
        "--status-list",
        metavar="FILE",
        action="append",
        default=[],
        help="a status list VC-JWT (repeatable); replaces the file's list with the same URL",
    )
    p_verify.add_argument(
        "--at",
        type=_parse_at,
        default=None,
        metavar="ISO-DATETIME",
        help="check as of this time instead of now (UTC unless it has a zone)",
    )
    p_verify.add_argument(
        "--skip-status",
        action="store_true",
        help="accept a credential whose status lists are missing (it is reported as unchecked)",
    )
    p_verify.add_argument("--json", action="store_true", help="print the verdict as JSON")
    p_verify.set_defaults(handler=cmd_verify)
