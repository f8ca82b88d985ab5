"""The audit trail is append-only: the model refuses changes everywhere, and on PostgreSQL
a trigger refuses them in SQL too (migration audit 0002)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from hopeful.web.audit.models import AuditEvent
from hopeful.web.audit.services import audit_record


@pytest.fixture
def event(db: None) -> AuditEvent:
    return audit_record(verb="test.event", actor=None, organization=None, object_id="x")


def test_an_existing_event_cannot_be_saved_again(event: AuditEvent) -> None:
    event.verb = "changed"
    with pytest.raises(PermissionError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


def test_an_event_cannot_be_deleted(event: AuditEvent) -> None:
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_queryset_cannot_update_events(event: AuditEvent) -> None:
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(verb="changed")
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


def test_a_queryset_cannot_delete_events(event: AuditEvent) -> None:
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_new_events_can_still_be_appended(event: AuditEvent) -> None:
    audit_record(verb="test.second", actor=None, organization=None)
    assert AuditEvent.objects.count() == 2


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@postgresql_only
def test_raw_sql_update_is_refused_by_the_trigger(event: AuditEvent) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET verb = 'changed' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


@postgresql_only
def test_raw_sql_delete_is_refused_by_the_trigger(event: AuditEvent) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
