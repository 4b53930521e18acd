"""A role's way through the pages, driven like a person would: log in on the login page, switch
the interface to Chinese (the language is kept on the user's profile), then reach every step by
clicking what the page shows — the navigation, links and buttons by their visible text. No typed
URLs after the login page.

Visible texts are looked up in the Chinese catalogue from their English source (`zh("Close")`),
so a better translation does not break a journey; a missing one fails it (the text is not on the
page). Each step saves a screenshot under test-results/journeys/<test>/<nn>-<step>.png
(git-ignored; CI keeps the folder as an artefact).

    journey = Journey.start(chromium, live_server.url, "service1", name="complaint")
    journey.switch_to_chinese()
    journey.nav("Complaints")
    journey.click_link("New complaint")
    journey.shot("new complaint")
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import translation

from tests.factories import PASSWORD

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results" / "journeys"
# A journey posts a dozen forms, each answered by the live server in the test's process while
# the rest of the suite's work competes for two cores: 15 s was once not enough for one answer.
TIMEOUT_MS = 30_000
CHINESE = "zh-hans"


def zh(message: str, context: str = "") -> str:
    """The Chinese text the interface shows for an English source message."""
    with translation.override(CHINESE):
        return translation.pgettext(context, message) if context else translation.gettext(message)


# Bootstrap Icons draw their glyph as ::before content, a private-use character that is part of
# a link's accessible name.
_ICONS = r"[\s\uE000-\uF8FF]*"


def exactly(text: str) -> re.Pattern:
    """Matches an accessible name that is `text` alone, icons and spacing aside."""
    return re.compile(rf"^{_ICONS}{re.escape(text)}{_ICONS}$")


def labelled(text: str) -> re.Pattern:
    """Matches a field's label that is `text`, with or without a required marker after it."""
    return re.compile(rf"^\s*{re.escape(text)}\s*(\*|[(（][^()（）]*[)）])?\s*$")


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-").lower()[:60] or "step"


@dataclass
class Journey:
    page: object
    base_url: str
    folder: Path
    context: object = None
    steps: int = field(default=0)

    @classmethod
    def start(cls, browser, base_url: str, username: str, *, name: str, password: str = PASSWORD, **options):
        """A new browser context (desktop size unless told otherwise), logged in as `username`."""
        options = {"locale": "en-US", "viewport": {"width": 1366, "height": 900}, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        folder = ARTEFACTS / _slug(name)
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
        journey = cls(page=context.new_page(), base_url=base_url, folder=folder, context=context)
        journey.log_in(username, password)
        return journey

    def close(self) -> None:
        if self.context is not None:
            self.context.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            self.shot("failed")
        self.close()

    # -- steps -------------------------------------------------------------------------------

    def shot(self, step: str) -> Path:
        """Saves a full-page screenshot as <nn>-<step>.png and returns its path."""
        self.steps += 1
        path = self.folder / f"{self.steps:02d}-{_slug(step)}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def log_in(self, username: str, password: str = PASSWORD) -> None:
        """The login page is the only address typed in."""
        page = self.page
        page.goto(self.base_url + "/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main form button[type=submit]")
        page.wait_for_url(self.base_url + "/")
        self.shot(f"logged in as {username}")

    def switch_to_chinese(self) -> None:
        """The navigation bar's language select; it submits on change and stays on the profile."""
        from playwright.sync_api import expect

        page = self.page
        self._open_menu_bar()
        if page.locator("html").get_attribute("lang") != CHINESE:
            with page.expect_navigation():
                page.locator("#language-form select[name=language]").select_option(CHINESE)
        expect(page.locator("html")).to_have_attribute("lang", CHINESE)
        self.shot("chinese")

    def nav(self, label: str, parent: str = "") -> None:
        """Clicks a navigation item by its (English source) label; `parent` opens its menu first
        (its first entry is the parent's own page, under the same label)."""
        page = self.page
        self._open_menu_bar()
        bar = page.locator("#main-nav")
        if parent:
            bar.get_by_role("button", name=exactly(zh(parent))).click()
            link = bar.locator(".dropdown-menu.show").get_by_role("link", name=exactly(zh(label)))
        else:
            link = bar.get_by_role("link", name=exactly(zh(label)))
        with page.expect_navigation():
            link.first.click()

    def click_link(self, label: str, *, within: str = "main", exact: bool = True, context: str = "") -> None:
        """Clicks a link by its visible (English source) label, and waits for the next page."""
        name = exactly(zh(label, context)) if exact else zh(label, context)
        with self.page.expect_navigation():
            self.page.locator(within).get_by_role("link", name=name).first.click()

    def click_text(self, text: str, *, within: str = "main") -> None:
        """Clicks a link whose visible text is data (a reference number, a name), not a label."""
        with self.page.expect_navigation():
            self.page.locator(within).get_by_role("link", name=text).first.click()

    def button(self, label: str, *, within: str = "main", context: str = ""):
        """The button with that visible (English source) label."""
        return self.page.locator(within).get_by_role("button", name=exactly(zh(label, context))).first

    def press(self, label: str, *, within: str = "main", context: str = "") -> None:
        """Clicks a button that submits a form, and waits for the answer page."""
        with self.page.expect_navigation():
            self.button(label, within=within, context=context).click()

    def confirm(self, selector: str) -> str:
        """Clicks the button at `selector`, accepts the one confirmation it asks (crm.js
        `data-confirm`), waits for the answer page and returns the question."""
        questions = []

        def accept(dialog):
            questions.append(dialog.message)
            dialog.accept()

        self.page.on("dialog", accept)
        try:
            with self.page.expect_navigation():
                self.page.locator(selector).click()
        finally:
            self.page.remove_listener("dialog", accept)
        assert len(questions) == 1, questions
        return questions[0]

    def field(self, label: str, *, within: str = "main", context: str = ""):
        """A form field by its (English source) label; `context` as in the code's pgettext."""
        return self.page.locator(within).get_by_label(labelled(zh(label, context))).first

    def _open_menu_bar(self) -> None:
        toggler = self.page.locator(".navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
