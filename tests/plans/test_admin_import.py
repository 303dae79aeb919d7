"""The secretariat imports a plan document in the admin: upload, preview, mapping, commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import AnnualPlan, PlanSection

pytestmark = pytest.mark.django_db

DOCUMENT = "תכנית 2021\n\nיעדי אגף חינוך\n- יעד ראשון\n- כ-4 ימי עיון\nנושאים שונים:\n- יעד שלישי\n".encode()


def upload(client, data=DOCUMENT, name="plan.txt", year="2021"):
    return client.post(
        reverse("admin:plans_annualplan_import"),
        {"document": SimpleUploadedFile(name, data), "year": year, "body": "", "title": ""},
    )


def test_upload_preview_map_and_commit(client, personas):
    client.force_login(personas["secretariat"])
    response = upload(client)
    assert response.status_code == 200
    body = response.content.decode()
    assert "יעד ראשון" in body and "ימי עיון" in body
    assert not AnnualPlan.objects.exists()  # a preview writes nothing
    token = response.context["token"]
    sections = response.context["sections"]
    assert [s.department for _, s, _ in sections] == ["education", ""]
    response = client.post(
        reverse("admin:plans_annualplan_import"),
        {
            "token": token,
            "section-0-department": "education",
            "section-1-department": "youth",
            "section-1-unit": "",
        },
    )
    assert response.status_code == 302
    plan = AnnualPlan.objects.get(year=2021)
    assert plan.goals.count() == 3
    assert PlanSection.objects.get(plan=plan, title="נושאים שונים:").department.slug == "youth"
    assert plan.goals.get(text="כ-4 ימי עיון").target_value == 4


def test_a_bad_file_is_refused_with_a_message_and_writes_nothing(client, personas):
    client.force_login(personas["secretariat"])
    response = upload(client, data=b"", name="plan.txt")
    assert response.status_code == 200
    assert "ריק" in response.content.decode()
    response = upload(client, data=b"garbage", name="plan.docx")
    assert "Word" in response.content.decode() or "וורד" in response.content.decode()
    assert not AnnualPlan.objects.exists()


def test_an_expired_preview_commits_nothing(client, personas):
    client.force_login(personas["secretariat"])
    response = client.post(reverse("admin:plans_annualplan_import"), {"token": "stale"})
    assert response.status_code == 302
    assert not AnnualPlan.objects.exists()


def test_a_year_that_exists_is_refused(client, personas, plan_2018):
    client.force_login(personas["secretariat"])
    response = upload(client, year="2018")
    assert response.status_code == 200
    assert AnnualPlan.objects.count() == 1
    assert response.context["form"].errors


@pytest.mark.parametrize("persona", ["member", "youth_head"])
def test_only_the_secretariat_imports(client, personas, persona):
    client.force_login(personas[persona])
    response = upload(client)
    assert response.status_code == 302 and "login" in response.url
    assert not AnnualPlan.objects.exists()
