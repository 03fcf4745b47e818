"""The browser fixtures (live server, Chromium) for the engagement journey in this folder."""

from tests.browser.conftest import browser, live_server  # noqa: F401 - fixtures for pytest
