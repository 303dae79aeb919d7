"""The floor's PDF renderer: it loads the project's static files and nothing else."""

import socket

import pytest
import weasyprint
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from movement.pdf import BASE_URL, StaticOnlyURLFetcher, URLRefused, css_string, page_footer_css, render_pdf

STATIC = settings.BASE_DIR / "static"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection is recorded and fails."""
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("the network is not for PDF rendering")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def test_it_serves_the_stylesheet_and_fonts_under_the_static_url():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch(f"{BASE_URL}css/pdf.css")
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()
    font = fetcher.fetch("file:///static/fonts/Heebo-Bold.ttf")
    assert font.read() == (STATIC / "fonts" / "Heebo-Bold.ttf").read_bytes()
    # A file: URL to the file itself, as relative URLs inside pdf.css resolve.
    assert fetcher.fetch((STATIC / "fonts" / "Heebo-Regular.ttf").as_uri()).read()[:4] == b"\x00\x01\x00\x00"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/font.ttf",
        "ftp://127.0.0.1/x",
        "data:text/css,body{color:red}",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/etc/passwd",
        "file:///static/css/../../../etc/passwd",
        f"file://{settings.BASE_DIR}/movement/settings.py",
        f"file://{STATIC}/../movement/settings.py",
        "file://evil.example/static/css/pdf.css",
        "file:///static/no-such-file.css",
        "file:///static/",
        "/etc/passwd",
    ],
)
def test_it_refuses_anything_but_a_static_file(url, no_network):
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(URLRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert no_network == []


def test_it_refuses_a_symlink_from_the_static_files_to_outside(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p { color: green }")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the PDF")
    (static / "link.css").symlink_to(secret)
    with override_settings(STATICFILES_DIRS=[static], STATIC_ROOT=None):
        fetcher = StaticOnlyURLFetcher()
        assert fetcher.fetch("file:///static/ok.css").read() == b"p { color: green }"
        with pytest.raises(URLRefused):
            fetcher.fetch("file:///static/link.css")
        with pytest.raises(URLRefused):
            fetcher.fetch((static / "link.css").as_uri())


def test_weasyprint_skips_a_refused_image_and_renders_the_rest(no_network):
    """An <img> that reached the HTML unescaped is still never fetched: the fetcher refuses it and
    WeasyPrint treats it as a missing image."""
    fetcher = StaticOnlyURLFetcher()
    html = '<p>לפני</p><img src="http://127.0.0.1:9/x"><img src="file:///etc/passwd"><p>אחרי</p>'
    pdf = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
    assert pdf.startswith(b"%PDF-")
    assert fetcher.refused == ["http://127.0.0.1:9/x", "file:///etc/passwd"]
    assert no_network == []


@pytest.mark.django_db
def test_a_goal_with_an_image_tag_in_its_text_renders_without_fetching_it(
    reference_data, monkeypatch, no_network
):
    """Goal text is escaped by the template, so the tag is text; and nothing but static files is asked for."""
    from plans.demo import synthetic_plan
    from plans.models import Goal
    from plans.reports import render_plan_pdf

    plan = synthetic_plan(year=2031, goals=3, sections=1)
    Goal.objects.filter(plan=plan, order=0).update(text='יעד <img src="http://127.0.0.1:9/x"> עם תמונה')
    asked = []
    fetch = StaticOnlyURLFetcher.fetch

    def recording_fetch(self, url, headers=None):
        asked.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(StaticOnlyURLFetcher, "fetch", recording_fetch)
    pdf = render_plan_pdf(plan)
    assert pdf.startswith(b"%PDF-") and pdf.page_count >= 3
    assert asked and all(url.startswith("file://") for url in asked)
    assert not any("127.0.0.1" in url for url in asked)
    assert no_network == []


def test_the_footer_counts_pages_in_the_active_language():
    with translation.override("en"):
        assert str(page_footer_css()) == '"Page " counter(page) " of " counter(pages)'


def test_a_css_string_cannot_close_the_string_or_the_style_element():
    value = css_string('a"b\\c</style><x>')
    assert value.startswith('"') and value.endswith('"')
    assert '"' not in value[1:-1] and "<" not in value and ">" not in value


@pytest.mark.django_db
def test_render_pdf_gives_the_bytes_and_the_page_count(reference_data):
    from plans.demo import synthetic_plan
    from plans.reports import plan_report_context

    plan = synthetic_plan(year=2031, goals=3, sections=1)
    with translation.override("he"):
        pdf = render_pdf("plans/pdf/plan.html", plan_report_context(plan))
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    assert pdf.page_count >= 3
