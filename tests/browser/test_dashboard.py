"""DSH-01: management opens the dashboard on the demo data, in Chinese, on a laptop and a
tablet; every block is there and every chart has drawn on its canvas (none left empty).
Screenshots: test-results/journeys/dashboard-<width>/."""

import pytest
from django.core.management import call_command
from django.test import TestCase

from crm_project.accounts.demo import DEMO_PASSWORD
from crm_project.accounts.models import User
from crm_project.dashboard.blocks import blocks_for
from tests.browser.journey import Journey, zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Painted pixels per chart, sampled one in 16: an empty ECharts canvas has none at all.
PAINTED = """() => Array.from(document.querySelectorAll('[data-dashboard-chart]')).map(box => {
  const canvas = box.querySelector('canvas');
  let painted = 0;
  if (canvas) {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 64) { if (pixels[i] > 0) { painted += 1; } }
  }
  return {key: box.dataset.dashboardChart, ready: box.dataset.chartReady === 'true', painted: painted};
})"""


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


LAPTOP, TABLET = {"width": 1366, "height": 900}, {"width": 820, "height": 1180}


@pytest.mark.parametrize("viewport", [LAPTOP, TABLET], ids=["laptop", "tablet"])
def test_management_sees_every_chart_drawn(live_server, chromium, demo, viewport):
    from playwright.sync_api import expect

    name = f"dashboard-{viewport['width']}"
    start = Journey.start(chromium, live_server.url, "gm1", name=name, password=DEMO_PASSWORD, viewport=viewport)
    with start as journey:
        journey.switch_to_chinese()
        page = journey.page
        # Management lands on the dashboard (DSH-02).
        expect(page.locator("#panel-dashboard")).to_be_visible()
        journey.nav(zh("Dashboard"))
        expect(page.locator("main h1")).to_contain_text(zh("Dashboard"))
        shown = blocks_for(User.objects.get(username="gm1"))
        assert len(shown) >= 8  # all but the statement review, which is fee data (EXP-13)
        for block in shown:
            expect(page.locator(f"#block-{block.key}")).to_be_visible()
        expect(page.locator("[data-empty-chart]")).to_have_count(0)
        charts = page.locator("[data-dashboard-chart]")
        expect(charts.first).to_have_attribute("data-chart-ready", "true")
        journey.shot("dashboard")
        drawn = page.evaluate(PAINTED)
        assert len(drawn) >= len(shown), drawn
        assert [chart for chart in drawn if not (chart["ready"] and chart["painted"] > 50)] == []
