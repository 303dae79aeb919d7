"""Importing a meeting's attendance from CSV/XLSX in the admin."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Meeting
from movement.models import Body

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(reference_data):
    return Meeting.objects.create(
        body=Body.objects.get(slug="movement-secretariat"), title="ישיבה", date=datetime.date(2026, 3, 1)
    )


def upload(client, meeting, name, data):
    return client.post(
        reverse("admin:meetings_meeting_attendance", args=[meeting.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def confirm(client, meeting):
    return client.post(reverse("admin:meetings_meeting_attendance", args=[meeting.pk]), {"confirm": "1"})


def test_a_csv_is_matched_previewed_and_imported(client, personas, meeting):
    member = personas["member"]
    csv = (
        "name,email,affiliation,attendance\n"
        f"מישהי,{member.email.upper()},בארי,present\n"
        f"{personas['youth_head'].full_name},,השומר הצעיר,absent\n"
        "אורח מבחוץ,,קיבוץ שלא קיים,guest\n"
    ).encode()
    client.force_login(personas["secretariat"])
    response = upload(client, meeting, "attendance.csv", csv)
    body = response.content.decode()
    assert response.status_code == 200
    assert not meeting.participants.exists()  # a preview writes nothing
    assert "אורח מבחוץ" in body and "השומר הצעיר" in body  # unmatched rows are reported
    assert confirm(client, meeting).status_code == 302
    participants = {p.name: p for p in meeting.participants.all()}
    assert participants["מישהי"].user == member and participants["מישהי"].kibbutz.slug == "beeri"
    assert participants[personas["youth_head"].full_name].user == personas["youth_head"]
    assert participants[personas["youth_head"].full_name].attendance == "absent"
    assert participants["אורח מבחוץ"].user is None and participants["אורח מבחוץ"].attendance == "guest"


def test_an_xlsx_works_too(client, personas, meeting):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "email", "affiliation", "attendance"])
    sheet.append(["דנה", "", "יטבתה", "נוכחת"])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(personas["secretariat"])
    upload(client, meeting, "attendance.xlsx", buffer.getvalue())
    confirm(client, meeting)
    assert meeting.participants.get().kibbutz.slug == "yotvata"


@pytest.mark.parametrize(
    "name,data",
    [
        ("a.csv", b""),
        ("a.pdf", b"%PDF"),
        ("a.csv", "name\nשם".encode("cp1255")),
        ("a.xlsx", b"not a zip"),
        ("a.csv", "name,attendance\nדנה,maybe\n".encode()),
        ("a.csv", "name,attendance\nדנה,present\nדנה,present\n".encode()),
        ("a.csv", b"who,when\nx,y\n"),
        ("a.csv", b"name,attendance\n,present\n"),
    ],
)
def test_a_bad_file_or_row_imports_nothing(client, personas, meeting, name, data):
    client.force_login(personas["secretariat"])
    response = upload(client, meeting, name, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    confirm(client, meeting)
    assert not meeting.participants.exists()


def test_only_the_secretariat_imports_and_not_into_an_approved_protocol(client, personas, meeting):
    client.force_login(personas["youth_head"])
    assert upload(client, meeting, "a.csv", b"name\nx\n").status_code == 302
    meeting.status = "approved"
    meeting.save()
    client.force_login(personas["secretariat"])
    assert upload(client, meeting, "a.csv", b"name\nx\n").status_code == 403
    assert not meeting.participants.exists()
