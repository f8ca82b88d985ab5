"""The trainers suggested for a request: listed ones only (certified today and opted in),
within 100 miles, speaking the request's language, presenting the way it asks; nearest
first, with distances that match the haversine formula computed by hand."""

from __future__ import annotations

import pytest

from hopeful import geo
from hopeful.framework.certification import Action
from hopeful.web.presentations.selectors import SUGGESTION_RADIUS, suggestions
from tests.web.certification.helpers import act, make_staff
from tests.web.presentations.helpers import haversine, make_org_listing, make_request, make_trainer

pytestmark = pytest.mark.django_db

#: The request's place: downtown Boston.
CENTRE = "02111"


def _point(zip_code: str) -> tuple[float, float]:
    place = geo.zip_place(zip_code)
    return (place.latitude, place.longitude)


def test_in_person_suggestions_are_nearby_listed_speakers_nearest_first() -> None:
    cambridge = make_trainer("Cam Bridge", "02139")
    worcester = make_trainer("Wes Worcester", "01608")
    manchester = make_trainer("Manny Chester", "03101")
    providence = make_trainer("Prue Providence", "02903")
    organization = make_org_listing("Harbor Family Center", "02127", "admin@harbor.example.org")
    # not suggested: too far, wrong language, online only, opted out, expired
    make_trainer("Nora York", "10001")
    make_trainer("Eng Only", "02138", languages=("en",))
    make_trainer("Online Olga", "02134", in_person=False)
    make_trainer("Opted Out", "02115", opted_in=False)
    expired = make_trainer("Ex Pired", "02116")
    act(expired.user.certifications.get(), Action.EXPIRE, make_staff())

    request = make_request(zip_code=CENTRE, language="es", modality="in_person")
    found = suggestions(request)
    centre = _point(CENTRE)
    expected = sorted(
        (
            (haversine(centre, _point(listing.zip_code)), listing)
            for listing in (cambridge, worcester, manchester, providence, organization)
            if haversine(centre, _point(listing.zip_code)) <= SUGGESTION_RADIUS
        ),
        key=lambda row: row[0],
    )
    assert [s.listing for s in found] == [listing for _miles, listing in expected]
    for suggestion, (miles, _listing) in zip(found, expected, strict=True):
        assert suggestion.miles == pytest.approx(miles, abs=1e-6)
    names = {s.listing.display_name for s in found}
    assert not names & {"Nora York", "Eng Only", "Online Olga", "Opted Out", "Ex Pired"}
    # New York is beyond the radius: computed by hand too
    assert haversine(centre, _point("10001")) > SUGGESTION_RADIUS


def test_the_edge_of_the_radius_is_included() -> None:
    """A trainer exactly at 100 miles is suggested (the radius is made to fit a real one)."""
    far = make_trainer("Edge Case", "06103")  # Hartford
    request = make_request(zip_code=CENTRE)
    miles = haversine(_point(CENTRE), _point("06103"))
    import hopeful.web.presentations.selectors as selectors

    original = selectors.SUGGESTION_RADIUS
    try:
        selectors.SUGGESTION_RADIUS = miles  # type: ignore[assignment]
        assert [s.listing for s in suggestions(request)] == [far]
        selectors.SUGGESTION_RADIUS = miles - 0.01  # type: ignore[assignment]
        assert suggestions(request) == []
    finally:
        selectors.SUGGESTION_RADIUS = original


def test_online_requests_put_speakers_of_the_language_first_then_distance() -> None:
    near_english = make_trainer("Near English", "02139", languages=("en",))
    far_spanish = make_trainer("Far Spanish", "94103", languages=("es",))  # San Francisco
    near_spanish = make_trainer("Near Spanish", "01608", languages=("es", "en"))
    make_trainer("In Person Only", "02138", languages=("es",), virtual=False)
    request = make_request(zip_code=CENTRE, modality="virtual", language="es")
    found = suggestions(request)
    assert [s.listing for s in found] == [near_spanish, far_spanish, near_english]
    assert [s.speaks_language for s in found] == [True, True, False]
    # without a ZIP code: the language first, then by name
    request = make_request(zip_code="", modality="virtual", language="es")
    found = suggestions(request)
    assert [s.listing for s in found][:2] == [far_spanish, near_spanish]
    assert all(s.miles is None for s in found)


def test_a_request_with_no_zip_code_in_person_has_no_suggestions() -> None:
    make_trainer("Cam Bridge", "02139")
    request = make_request(zip_code="", modality="virtual")
    request.modality = "in_person"
    assert suggestions(request) == []
