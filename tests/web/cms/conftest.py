from __future__ import annotations

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image


@pytest.fixture
def image(db: None) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 36), (31, 95, 58)).save(buffer, "PNG")
    return Image.objects.create(title="Lead", file=ImageFile(buffer, name="lead.png"))


@pytest.fixture(autouse=True)
def _media_root(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined, operator]
