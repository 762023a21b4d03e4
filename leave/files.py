"""Checking uploaded attachments: a PDF or an image whose content really is what it claims to be."""

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError


from .errors import LeaveError

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {
    ".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp",
}


class AttachmentError(LeaveError):
    pass


def inspect_upload(upload: UploadedFile, *, max_bytes: int) -> str:
    """Return the content type of an acceptable upload, or raise AttachmentError on the `attachment` field.

    The name's extension, the magic bytes and (for images) Pillow's full parse must agree:
    a renamed executable or a truncated image is refused, whatever the browser claimed.
    """
    name = upload.name or ""
    if upload.size is None or upload.size == 0:
        raise AttachmentError(_("The file %(name)s is empty.") % {"name": name}, field="attachment")
    if upload.size > max_bytes:
        raise AttachmentError(
            _("The file %(name)s is larger than %(limit)s MB.") % {"name": name, "limit": max_bytes // (1024 * 1024)},
            field="attachment",
        )
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower())
    if claimed is None:
        raise AttachmentError(_("Attach a PDF or an image (JPEG, PNG, GIF, WebP)."), field="attachment")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if claimed == "application/pdf":
        actual = "application/pdf" if head.startswith(b"%PDF-") else None
    else:
        actual = _image_type(upload)
    upload.seek(0)
    if actual != claimed:
        raise AttachmentError(
            _("The file %(name)s is not the PDF or image its name says it is.") % {"name": name}, field="attachment",
        )
    return actual


def _image_type(upload: UploadedFile) -> str | None:
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return IMAGE_FORMATS.get(image_format or "")
