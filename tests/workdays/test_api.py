import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_the_working_days_of_a_month(client_for, rep):
    """CAL-01: GET /api/v1/workdays/?month=YYYY-MM"""
    response = client_for(rep).get("/api/v1/workdays/", {"month": "2026-10"})
    assert response.status_code == 200
    days = response.json()["working_days"]
    assert days[:3] == ["2026-10-08", "2026-10-09", "2026-10-10"]
    assert "2026-10-01" not in days
    assert "2026-10-11" not in days


@pytest.mark.parametrize("month", ["", "2026-13", "October", "2026-1x"])
def test_it_refuses_a_bad_month(client_for, rep, month):
    response = client_for(rep).get("/api/v1/workdays/", {"month": month})
    assert response.status_code == 400
    assert "month" in response.json()


def test_it_refuses_anonymous_callers(client):
    assert client.get("/api/v1/workdays/", {"month": "2026-10"}).status_code == 401
