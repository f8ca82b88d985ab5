"""Demo data of the public network (``make demo``), all synthetic, loaded after the learning
demo (it lists the certified people and organizations that demo creates):

- the trainer directory: most certified Facilitators and Champions listed at real ZIP codes
  of their states (a few not opted in), the certified organizations, the Innovation Network's
  members (:func:`hopeful.web.directory.demo.directory_demo_load`);
- presentation requests in every status, some assigned to listed trainers
  (:func:`hopeful.web.presentations.demo.presentations_demo_load`);
- the annual summit, the Week of HOPE and webinars with registrations and a waitlist
  (:func:`hopeful.web.events.demo.events_demo_load`);
- community strengths around Boston, Albuquerque, Madison and Seattle
  (:func:`hopeful.web.assets.demo.assets_demo_load`).

Each part is idempotent: a second run adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from hopeful.web.assets.demo import assets_demo_load
from hopeful.web.assets.models import CommunityAsset
from hopeful.web.directory.demo import directory_demo_load
from hopeful.web.directory.models import ListingKind
from hopeful.web.directory.rules import listed
from hopeful.web.events.demo import events_demo_load
from hopeful.web.events.models import Event
from hopeful.web.presentations.demo import presentations_demo_load
from hopeful.web.presentations.models import PresentationRequest


def network_load(*, progress: Callable[[str], None] | None = None) -> None:
    """Load the public network's demo (its parts report through ``progress``)."""
    say = progress or (lambda line: None)
    directory_demo_load(progress=say)
    presentations_demo_load(progress=say)
    events_demo_load(now=timezone.now(), progress=say)
    assets_demo_load(progress=say)


def network_status() -> str:
    """What the public network holds (for the demo's closing line): the trainers the public
    finds today, the presentation requests, the events and the community strengths."""
    people = listed().filter(kind=ListingKind.PERSON).count()
    return (
        f"{people} trainers in the public directory, "
        f"{PresentationRequest.objects.count()} presentation requests, "
        f"{Event.objects.count()} events, "
        f"{CommunityAsset.objects.filter(archived_at__isnull=True).count()} community strengths"
    )
