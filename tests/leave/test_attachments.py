"""Attachments: PDF or image whose content matches its name, within the size limit, served only to those allowed."""

from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
import pytest

from leave.models import LeaveAttachment, LeaveRequest
from leave.services import LeaveError

from .factories import leave_type
from .helpers import file_leave, local_time

TUE = date(2026, 12, 1)


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sick_leave(cast, *files):
    with local_time(2026, 11, 27):
        return file_leave(cast.employee, TUE, code="sick", reason="发烧", attachments=list(files))


def test_a_real_png_and_a_real_pdf_are_accepted_and_stored_under_media_root(cast, settings):
    leave = sick_leave(cast, SimpleUploadedFile("病假条.png", png_bytes(), "image/png"),
                       SimpleUploadedFile("诊断.pdf", PDF, "application/pdf"))
    stored = list(leave.attachments.order_by("id"))
    assert [item.content_type for item in stored] == ["image/png", "application/pdf"]
    assert all(str(item.file.path).startswith(str(settings.MEDIA_ROOT)) for item in stored)
    assert stored[0].original_name == "病假条.png" and "病假条" not in stored[0].file.name


@pytest.mark.parametrize("name,content", [
    ("note.pdf", b"MZ\x90\x00 an executable renamed"),          # not a PDF
    ("note.png", b"\x89PNG\r\n\x1a\n truncated garbage"),      # PNG magic, broken image
    ("note.jpg", PDF),                                          # a PDF calling itself a JPEG
    ("note.exe", PDF),                                          # not an allowed type at all
    ("note.png", b""),                                          # empty
])
def test_a_file_whose_content_does_not_match_is_refused_and_nothing_is_written(cast, name, content):
    with pytest.raises(LeaveError) as error:
        sick_leave(cast, SimpleUploadedFile(name, content, "image/png"))
    assert error.value.field == "attachment"
    assert not LeaveRequest.objects.exists() and not LeaveAttachment.objects.exists()


def test_an_oversized_file_is_refused(cast):
    big = PDF + b"0" * (5 * 1024 * 1024)
    with pytest.raises(LeaveError) as error:
        sick_leave(cast, SimpleUploadedFile("big.pdf", big, "application/pdf"))
    assert "5 MB" in error.value.message


def test_sick_leave_without_a_note_is_refused(cast):
    with pytest.raises(LeaveError) as error:
        sick_leave(cast)
    assert error.value.field == "attachment"


def test_the_form_shows_a_wrong_file_as_a_field_error(client, cast):
    client.force_login(cast.employee.user)
    with local_time(2026, 11, 27):
        response = client.post("/leave/new/", {
            "leave_type": leave_type("sick").pk,
            "start_date": "2026-12-01", "start_half": "am", "end_date": "2026-12-01", "end_half": "pm",
            "reason": "发烧", "attachment": SimpleUploadedFile("fake.pdf", b"<html>", "application/pdf"),
        })
    assert response.status_code == 200 and "attachment" in response.context["form"].errors
    assert not LeaveRequest.objects.exists()


def test_attachment_is_served_through_the_checked_view_only(client, cast, settings):
    leave = sick_leave(cast, SimpleUploadedFile("病假条.png", png_bytes(), "image/png"))
    item = leave.attachments.get()
    client.force_login(cast.supervisor.user)
    response = client.get(f"/leave/attachments/{item.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()
    client.force_login(cast.outsider.user)
    assert client.get(f"/leave/attachments/{item.pk}/").status_code == 404
    assert client.get(f"/media/{item.file.name}").status_code == 404


def test_a_file_name_with_line_breaks_or_a_path_cannot_add_a_header_to_the_download(client, cast):
    name = 'C:\\fakepath\\假条\r\nSet-Cookie: x=1; "a".png'
    leave = sick_leave(cast, SimpleUploadedFile(name, png_bytes(), "image/png"))
    item = leave.attachments.get()
    assert item.original_name == '假条 Set-Cookie: x=1; "a".png'
    client.force_login(cast.supervisor.user)
    response = client.get(f"/leave/attachments/{item.pk}/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and "x" not in response.cookies
    assert "\n" not in response["Content-Disposition"] and "\r" not in response["Content-Disposition"]
