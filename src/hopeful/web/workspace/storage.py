"""Where uploaded survey files live on disk, and how they get there.

``HOPEFUL_RESEARCH_DIR`` (default ``<HOPEFUL_DATA_DIR>/research``) holds one directory per
file, ``<organization public id>/<file public id>/``, with names we choose: ``upload.<suffix>``
(the bytes as uploaded), ``formats.sas7bcat`` (an optional SAS format catalogue) and
``analysis.parquet`` (the worker's copy with the labels, which analyses read). The user's file
name is only ever a display name. The directory is never under ``MEDIA_ROOT`` or served: the
web process and the worker both need it (a shared volume when they run on different hosts).

Uploads are streamed by :class:`ResearchUploadHandler` straight into ``.incoming/`` on the
same disk (hashed on the way, refused past the size limit), then renamed into place.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

logger = logging.getLogger(__name__)

UPLOAD_STEM = "upload"
CATALOGUE = "formats.sas7bcat"
PARQUET = "analysis.parquet"
#: Bytes of a multipart request beyond the files themselves (boundaries, the CSRF token).
ENVELOPE = 64 * 1024


def max_bytes() -> int:
    """The largest upload accepted (``HOPEFUL_RESEARCH_MAX_BYTES``, default 2 GiB)."""
    return int(getattr(settings, "HOPEFUL_RESEARCH_MAX_BYTES", 2 * 1024**3))


def root() -> Path:
    return Path(getattr(settings, "HOPEFUL_RESEARCH_DIR", settings.DATA_DIR / "research"))


def incoming_dir() -> Path:
    path = root() / ".incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_dir(org_public_id: Any, file_public_id: Any) -> Path:
    return root() / str(org_public_id) / str(file_public_id)


def remove_dir(path: Path) -> bool:
    """Remove a file's directory and everything in it; whether it is gone now."""
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError:
        logger.exception("research files: cannot remove %s", path)
    return not path.exists()


class StagedUpload(TemporaryUploadedFile):
    """An uploaded file written into ``.incoming/`` (not the system's temporary directory),
    so it is renamed into place on the same disk; its SHA-256 is computed while it arrives.
    Closing it removes it unless it was moved (Django closes uploads after each request)."""

    def __init__(
        self,
        directory: Path,
        name: str,
        content_type: str,
        charset: str | None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        file = tempfile.NamedTemporaryFile(prefix=".upload-", suffix=".part", dir=directory)  # noqa: SIM115 - closed by Django
        UploadedFile.__init__(self, file, name, content_type, 0, charset, content_type_extra)
        self.sha256 = ""


class ResearchUploadHandler(FileUploadHandler):
    """Stream every file of the request into ``.incoming/``; stop past ``limit`` bytes in all
    (``too_big`` is then set and no file is kept)."""

    def __init__(self, request: HttpRequest, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.total = 0
        self.too_big = False
        self.file: StagedUpload | None = None
        self._digest = hashlib.sha256()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._digest = hashlib.sha256()
        self.file = StagedUpload(
            incoming_dir(),
            self.file_name or "",
            self.content_type or "application/octet-stream",
            self.charset,
            self.content_type_extra,
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.file is None:  # pragma: no cover - Django calls new_file first
            return None
        self.total += len(raw_data)
        if self.total > self.limit:
            self.too_big = True
            # Django closes (so removes) the files of the request, and reads the rest away.
            raise StopUpload(connection_reset=False)
        self._digest.update(raw_data)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.file is None:  # pragma: no cover - Django calls new_file first
            return None
        self.file.seek(0)
        self.file.size = file_size
        self.file.sha256 = self._digest.hexdigest()
        return self.file
