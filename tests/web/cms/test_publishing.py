"""The editorial workflow: drafts stay private, review before publishing, scheduled pages
appear at their time, revisions revert, and who published what is in the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import Workflow

from hopeful.web.audit.models import AuditEvent
from hopeful.web.cms import tasks
from hopeful.web.cms.models import StandardPage
from tests.web import factories as f
from tests.web.cms import site

pytestmark = pytest.mark.django_db


def test_a_draft_is_invisible_to_the_public(client: Client) -> None:
    page = site.add(site.home(), StandardPage(title="Hidden plan", slug="plan"), live=False)
    assert client.get("/plan/").status_code == 404
    assert b"Hidden plan" not in client.get("/").content
    site.publish(page)
    response = client.get("/plan/")
    assert response.status_code == 200
    assert b"Hidden plan" in response.content


def test_a_new_draft_of_a_live_page_does_not_change_what_people_read(client: Client) -> None:
    page = site.standard(site.home(), "About", "about", intro="The published words.")
    page.intro = "Unreviewed words."
    page.save_revision()
    text = client.get("/about/").content.decode()
    assert "The published words." in text
    assert "Unreviewed words." not in text


def test_review_before_publishing(client: Client) -> None:
    """An editor submits; the page goes live only when a moderator approves."""
    editor = f.make_user("editor@hope.example", is_network_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    moderator = f.make_user("moderator@hope.example", is_network_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    page = site.add(
        site.home(),
        StandardPage(title="Get involved", slug="get-involved"),
        live=False,
        user=editor,
    )
    workflow = page.get_workflow()
    assert isinstance(workflow, Workflow)
    state = workflow.start(page, editor)
    assert client.get("/get-involved/").status_code == 404
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    page.refresh_from_db()
    assert page.live
    assert client.get("/get-involved/").status_code == 200
    verbs = list(
        AuditEvent.objects.filter(object_id=str(page.pk)).values_list("verb", "actor__email")
    )
    assert ("cms.workflow.start", "editor@hope.example") in verbs
    assert ("cms.publish", "moderator@hope.example") in verbs


def test_a_scheduled_page_appears_at_its_time(client: Client) -> None:
    page = site.add(site.home(), StandardPage(title="Spring event", slug="spring"), live=False)
    go_live = timezone.now() + dt.timedelta(hours=2)
    page.go_live_at = go_live
    page.save_revision().publish()  # with a future go-live time: scheduled, not live
    page.refresh_from_db()
    assert not page.live
    tasks.publish_due()
    assert client.get("/spring/").status_code == 404
    with time_machine.travel(go_live + dt.timedelta(minutes=1), tick=False):
        tasks.publish_due()
    page.refresh_from_db()
    assert page.live
    assert client.get("/spring/").status_code == 200


def test_the_scheduler_queues_itself_once() -> None:
    assert tasks.schedule() is True
    assert tasks.schedule() is False


def test_revert_restores_an_earlier_revision(client: Client) -> None:
    page = site.standard(site.home(), "About", "about", intro="First words.")
    first = page.latest_revision
    page.intro = "Second words."
    site.publish(page)
    assert "Second words." in client.get("/about/").content.decode()
    first.as_object().save_revision(previous_revision=first, log_action=True).publish()
    text = client.get("/about/").content.decode()
    assert "First words." in text
    assert "Second words." not in text
    assert page.revisions.count() == 3  # nothing was lost: the reverted words are a revision too
    assert AuditEvent.objects.filter(verb="cms.revert", object_id=str(page.pk)).exists()


def test_who_published_what_is_audited() -> None:
    staff = f.make_user("network@hope.example", is_network_staff=True)
    staff.groups.add(Group.objects.get(name="Moderators"))
    page = site.add(site.home(), StandardPage(title="About", slug="about"), live=False)
    site.publish(page, staff)
    event = AuditEvent.objects.get(verb="cms.publish", object_id=str(page.pk))
    assert event.actor == staff
    assert event.organization is None
    assert event.extra["title"] == "About"


@pytest.mark.parametrize("missing", ["lead_image_alt", "summary", "lead_image"])
def test_a_post_without_its_alt_text_summary_or_image_cannot_be_published(
    image: object, missing: str
) -> None:
    from django.core.exceptions import ValidationError

    from hopeful.web.cms.models import NewsPage

    index = site.news()
    fields = {
        "title": "A post",
        "slug": "a-post",
        "authors": "Sample Author",
        "summary": "What happened.",
        "lead_image": image,
        "lead_image_alt": "Children drawing a map",
        "body": [("paragraph", "<p>Text.</p>")],
    }
    fields[missing] = None if missing == "lead_image" else ""
    with pytest.raises(ValidationError) as raised:
        index.add_child(instance=NewsPage(**fields))
    assert missing in raised.value.message_dict
    assert not NewsPage.objects.exists()


def test_an_image_in_a_page_needs_its_alternative_text(image: object) -> None:
    """The editor validates every block before it saves (a figure without its text is an
    error on the form, nothing is saved)."""
    from django.core.exceptions import ValidationError

    from hopeful.web.cms.blocks import BodyBlock

    block = BodyBlock()
    without = block.to_python(
        [{"type": "figure", "value": {"image": image.pk, "alt": "", "caption": ""}}]
    )
    with pytest.raises(ValidationError):
        block.clean(without)
    described = block.to_python(
        [{"type": "figure", "value": {"image": image.pk, "alt": "A map", "caption": ""}}]
    )
    assert block.clean(described)
