"""Uploads to the library: a file of the wrong type or over the size limit is refused with a
clear message and nothing is stored; files are served as downloads with safe headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.images.models import Image

from hopeful.web.cms.models import ResourceDocument
from tests.web import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def editor(client: Client) -> Client:
    staff = f.make_user("network@hope.example", is_network_staff=True)
    staff.groups.add(Group.objects.get(name="Editors"))
    client.force_login(staff)
    return client


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload_document(client: Client, name: str, content: bytes) -> object:
    return client.post(
        "/cms/documents/add/",
        {"title": "Handout", "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def test_a_pdf_is_accepted(editor: Client) -> None:
    response = upload_document(editor, "handout.pdf", PDF)
    assert response.status_code == 302
    assert ResourceDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "is not allowed. Allowed extensions are: pdf"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "This file is not a PDF"),
        ("page.html", b"<script>alert(1)</script>", "is not allowed. Allowed extensions are: pdf"),
    ],
)
def test_the_wrong_type_is_refused_and_nothing_stored(
    editor: Client, name: str, content: bytes, message: str
) -> None:
    response = upload_document(editor, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ResourceDocument.objects.count() == 0
    assert stored_files() == []


def test_an_oversized_file_is_refused_and_nothing_stored(editor: Client, settings: object) -> None:
    settings.HOPEFUL_DOCUMENT_MAX_BYTES = 100  # type: ignore[attr-defined]
    response = upload_document(editor, "big.pdf", PDF + b"0" * 200)
    assert response.status_code == 200
    assert "files can be at most 100" in response.content.decode()
    assert ResourceDocument.objects.count() == 0
    assert stored_files() == []


def test_an_image_that_is_not_an_image_is_refused(editor: Client) -> None:
    response = editor.post(
        "/cms/images/add/",
        {"title": "Fake", "file": SimpleUploadedFile("fake.png", b"not an image"), "collection": 1},
    )
    assert response.status_code == 200
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_files_are_downloads_with_safe_headers(client: Client) -> None:
    document = ResourceDocument.objects.create(
        title="Handout", file=ContentFile(PDF, name="handout.pdf")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.post(document.url).status_code == 405


def test_only_image_renditions_are_served_from_media(client: Client, image: Image) -> None:
    rendition = image.get_rendition("width-40")
    assert client.get(rendition.url).status_code == 200
    assert client.get(rendition.url)["X-Content-Type-Options"] == "nosniff"
    original = "/media/" + image.file.name
    assert client.get(original).status_code == 404
    assert client.get("/media/images/../original_images/x.png").status_code == 404
