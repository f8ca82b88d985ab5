"""The holder's pages (list, PDF certificate, credential file, renewal) and the network
staff's pages (list, detail with actions, reviews): who may open what, and what they do."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hopeful.framework.certification import Action, State, Tier
from hopeful.web.accounts.models import User
from hopeful.web.certification import services
from hopeful.web.certification.models import Certification, ReviewStatus
from tests.web import factories as f
from tests.web.certification.conftest import SITE
from tests.web.certification.helpers import act, add_hours, certify, make_learner, make_staff

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _login(client: Client, user: User) -> Client:
    f.login_verified(client, user)
    return client


# -- the holder's pages --------------------------------------------------------------------


def test_my_certifications_lists_links_and_state(client: Client) -> None:
    rosa = make_learner()
    cert = certify(rosa)
    code = cert.credentials.get().code
    response = _login(client, rosa).get(reverse("certification:mine"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "HOPE Facilitator" in html
    for name in ("verify", "pdf", "download"):
        assert reverse(f"certification:{name}", args=[code]) in html
    assert "Renew my certification" not in html  # not expiring


def test_my_certifications_is_empty_for_someone_new(client: Client) -> None:
    response = _login(client, make_learner()).get(reverse("certification:mine"))
    assert "You have no certifications yet." in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    code = certify(make_learner()).credentials.get().code
    for url in (
        reverse("certification:mine"),
        reverse("certification:pdf", args=[code]),
        reverse("certification:download", args=[code]),
        reverse("certification:staff_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_renewal_shows_hours_and_the_button_once_met(client: Client) -> None:
    rosa = make_learner()
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False):
        cert = certify(rosa)
    add_hours(rosa, "4", at=dt.datetime(2027, 1, 1, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2028, 1, 5, tzinfo=UTC), tick=False):
        _login(client, rosa)  # signed in "now" (sessions time out)
        services.certifications_expire_by_date()
        html = client.get(reverse("certification:mine")).content.decode()
        assert "Expiring" in html
        assert "4.00 of 6 needed" in html
        assert "Renew my certification" not in html
        # posting anyway: refused with the reason, nothing changed
        response = client.post(reverse("certification:renew", args=[cert.public_id]), follow=True)
        assert "continuing-education hours" in response.content.decode()
        cert.refresh_from_db()
        assert cert.state == State.EXPIRING
        add_hours(rosa, "2", at=dt.datetime(2027, 6, 1, tzinfo=UTC))
        html = client.get(reverse("certification:mine")).content.decode()
        assert "6.00 of 6 needed" in html
        assert "Renew my certification" in html
        response = client.post(reverse("certification:renew", args=[cert.public_id]))
        assert response.status_code == 302
        # a second POST (double click) is refused harmlessly: needs new hours
        client.post(reverse("certification:renew", args=[cert.public_id]))
    cert.refresh_from_db()
    assert cert.state == State.CERTIFIED
    assert cert.valid_until == dt.date(2030, 3, 1)
    assert cert.credentials.count() == 2


def test_someone_else_cannot_renew(client: Client) -> None:
    cert = certify(make_learner())
    response = _login(client, make_learner("other@example.org")).post(
        reverse("certification:renew", args=[cert.public_id])
    )
    assert response.status_code == 404


def test_pdf_certificate_has_the_facts_and_a_qr_code_of_the_verify_page(client: Client) -> None:
    import pypdf
    import pypdfium2
    import zxingcpp

    rosa = make_learner()
    credential = certify(rosa).credentials.get()
    response = _login(client, rosa).get(reverse("certification:pdf", args=[credential.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for fact in ("Rosa Díaz", "HOPE Facilitator", credential.code, "Valid until"):
        assert fact in text
    page = pypdfium2.PdfDocument(response.content)[0]
    image = page.render(scale=3).to_pil()
    found = [r.text for r in zxingcpp.read_barcodes(image)]
    assert found == [f"{SITE}/verify/{credential.code}/"]


def test_someone_elses_code_is_404_for_pdf_and_download(client: Client) -> None:
    credential = certify(make_learner()).credentials.get()
    _login(client, make_learner("other@example.org"))
    for name in ("pdf", "download"):
        assert (
            client.get(reverse(f"certification:{name}", args=[credential.code])).status_code == 404
        )
        assert (
            client.get(reverse(f"certification:{name}", args=["NOSUCHCODE234567"])).status_code
            == 404
        )


def test_an_organizations_files_are_for_its_admins_only(client: Client) -> None:
    staff, champion = make_staff(), make_learner("champ@example.org")
    certify(champion)
    certify(champion, Tier.CHAMPION)
    org = f.make_org("Sunrise Clinic")
    admin = f.make_member(org, "org_admin")
    viewer = f.make_member(org, "viewer")
    outsider = f.make_member(f.make_org("Other"), "org_admin")
    cert = services.organization_certification_apply(
        organization=org, actor=admin, assessment_ref="a"
    )
    services.organization_review_record(
        certification=cert, reviewer=champion, approved=True, notes=""
    )
    act(cert, Action.CERTIFY, staff)
    code = cert.credentials.get().code
    for user, expected in ((admin, 200), (viewer, 404), (outsider, 404), (staff, 404)):
        member = _login(Client(), user)
        for name in ("pdf", "download"):
            response = member.get(reverse(f"certification:{name}", args=[code]))
            assert response.status_code == expected, (user, name)
    html = Client().get(reverse("certification:verify", args=[code])).content.decode()
    assert "Sunrise Clinic" in html
    assert "HOPE-informed organization" in html
    # the admin's certificates page lists the organization's, with its files
    mine = _login(Client(), admin).get(reverse("certification:mine")).content.decode()
    assert "Sunrise Clinic: HOPE-informed organization" in mine
    assert reverse("certification:pdf", args=[code]) in mine
    viewer_page = _login(Client(), viewer).get(reverse("certification:mine")).content.decode()
    assert "Sunrise Clinic" not in viewer_page


# -- network staff -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["learner", "org_admin", "superuser"])
def test_staff_pages_are_403_for_everyone_else(client: Client, who: str) -> None:
    cert = certify(make_learner())
    if who == "learner":
        user = make_learner("someone@example.org")
    elif who == "org_admin":
        user = f.make_member(f.make_org(), "org_admin")
    else:
        user = User.objects.create_superuser("root@example.org", f.PASSWORD)
    _login(client, user)
    for url in (
        reverse("certification:staff_list"),
        reverse("certification:staff_reviews"),
        reverse("certification:staff_detail", args=[cert.public_id]),
        reverse("certification:staff_review", args=[cert.public_id]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("certification:staff_detail", args=[cert.public_id]),
        {"action": "revoke", "reason": "x"},
    )
    assert response.status_code == 403
    cert.refresh_from_db()
    assert cert.state == State.CERTIFIED


def test_staff_list_filters_counts_and_queries(
    client: Client, django_assert_max_num_queries: object
) -> None:
    staff = make_staff()
    for n in range(12):
        person = make_learner(f"p{n}@example.org", f"Person {n}", state="NM" if n % 2 else "TX")
        certify(person)
    special = make_learner("zz@example.org", "Zelda Quinn", state="WI")
    zelda = certify(special)
    act(zelda, Action.SUSPEND, staff, reason="Review")
    org = f.make_org("Riverbend", state="OR")
    services.organization_certification_apply(organization=org, actor=staff, assessment_ref="sa")
    _login(client, staff)
    url = reverse("certification:staff_list")
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "14 certifications" in html
    assert "Zelda Quinn" in html
    assert "Riverbend" in html
    counts = re.search(r"<th scope=\"row\">HOPE Facilitator</th>(.*?)</tr>", html, re.S)
    assert counts is not None
    assert re.findall(r">(\d+)<", counts.group(1)) == ["0", "0", "12", "0", "0", "1", "0"]

    assert "Zelda Quinn" not in client.get(url, {"state": "certified"}).content.decode()
    only_wi = client.get(url, {"us_state": "WI"}).content.decode()
    assert "1 certification" in only_wi
    assert "Zelda Quinn" in only_wi
    assert "Riverbend" in client.get(url, {"us_state": "OR"}).content.decode()
    assert "1 certification" in client.get(url, {"tier": "organization"}).content.decode()
    assert "Zelda Quinn" in client.get(url, {"q": "zelda"}).content.decode()
    code = zelda.credentials.get().code
    assert "Zelda Quinn" in client.get(url, {"q": code.lower()}).content.decode()
    bad = client.get(url, {"tier": "wizard"})
    assert bad.status_code == 200
    assert "There is a problem" in bad.content.decode()

    # more rows than a page: still a bounded number of queries
    for n in range(60):
        certify(make_learner(f"q{n}@example.org", f"Q {n}"))
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        response = client.get(url, {"page": "2"})
    assert "Page 2 of 2" in response.content.decode()


def test_staff_detail_shows_the_trail_and_runs_actions(client: Client) -> None:
    staff = make_staff()
    rosa = make_learner()
    cert = certify(rosa)
    _login(client, staff)
    url = reverse("certification:staff_detail", args=[cert.public_id])
    html = client.get(url).content.decode()
    assert "Rosa Díaz" in html
    assert cert.credentials.get().code in html
    for verb in ("Suspend", "Revoke", "Renew"):
        assert f'value="{verb.lower()}"' in html
    assert 'value="reinstate"' not in html

    # suspend without a reason: a clear error, nothing changed
    response = client.post(url, {"action": "suspend", "reason": ""})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    cert.refresh_from_db()
    assert cert.state == State.CERTIFIED

    # an action the state does not allow (a crafted POST): a clear error, nothing changed
    response = client.post(url, {"action": "reinstate"})
    assert response.status_code == 400
    assert "cannot reinstate" in response.content.decode()
    assert client.post(url, {"action": "explode"}).status_code == 400

    response = client.post(url, {"action": "suspend", "reason": "Complaint received"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert (cert.state, cert.reason) == (State.SUSPENDED, "Complaint received")
    html = client.get(url).content.decode()
    assert "Complaint received" in html
    assert 'value="reinstate"' in html
    # the same POST again (double click) changes nothing
    assert (
        client.post(url, {"action": "suspend", "reason": "Complaint received"}).status_code == 400
    )
    assert cert.events.filter(action="suspend").count() == 1


def test_staff_detail_of_an_unknown_certification_is_404(client: Client) -> None:
    _login(client, make_staff())
    url = reverse("certification:staff_detail", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


def test_reviews_page_lists_waiting_organizations_and_records_a_review(client: Client) -> None:
    staff = make_staff()
    org = f.make_org("Riverbend Home Visiting")
    admin = f.make_member(org, "org_admin")
    cert = services.organization_certification_apply(
        organization=org, actor=admin, assessment_ref="sa-7"
    )
    _login(client, staff)
    html = client.get(reverse("certification:staff_reviews")).content.decode()
    assert "Riverbend Home Visiting" in html
    assert "You can see the list, but not review" in html
    review_url = reverse("certification:staff_review", args=[cert.public_id])
    html = client.get(review_url).content.decode()
    assert "valid HOPE Champion certification" in html
    response = client.post(review_url, {"decision": "approve", "notes": ""})
    assert response.status_code == 400
    cert.refresh_from_db()
    assert cert.review_status == ReviewStatus.PENDING

    # staff who are Champions review
    certify(staff)
    certify(staff, Tier.CHAMPION)
    response = client.post(review_url, {"decision": "changes", "notes": ""})
    assert response.status_code == 400
    assert "Say what needs to change" in response.content.decode()
    response = client.post(review_url, {"decision": "approve", "notes": "Strong plan"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert (cert.review_status, cert.state, cert.reviewer) == (
        ReviewStatus.APPROVED,
        State.IN_PROGRESS,
        staff,
    )
    assert "Riverbend" not in client.get(reverse("certification:staff_reviews")).content.decode()
    # a person's certification has no review page
    person = certify(make_learner())
    assert (
        client.get(reverse("certification:staff_review", args=[person.public_id])).status_code
        == 404
    )


def test_organization_certifications_are_one_per_organization() -> None:
    org = f.make_org()
    admin = f.make_member(org, "org_admin")
    services.organization_certification_apply(organization=org, actor=admin, assessment_ref="a")
    services.organization_certification_apply(organization=org, actor=admin, assessment_ref="b")
    assert Certification.objects.filter(organization=org).count() == 1
