"""Every page renders, is valid HTML5, and links to help."""

import pytest

PAGES = ["/", "/guide", "/guide/what-is-trd", "/help", "/tools", "/about", "/my-data"]


@pytest.mark.parametrize("url", PAGES)
def test_page_is_well_formed_and_links_help(get_page, url):
    """Each page parses as HTML5, has one h1 and a Get help now link in its header."""
    soup = get_page(url)
    header_link = soup.select_one("header a[href='/help']")
    assert (
        header_link is not None and header_link.get_text(strip=True) == "Get help now"
    )
    assert soup.select_one("a.skip-link[href='#main']") is not None


def test_unknown_page_is_a_friendly_404(get_page):
    """An unknown URL gets a friendly page with a way home and to help."""
    soup = get_page("/no-such-page", status=404)
    assert "could not find" in soup.h1.get_text()
    assert soup.select_one("main a[href='/help']") is not None


def test_server_error_is_friendly(app, shared_instance):
    """A crash in a view shows the friendly 500 page, not a traceback."""
    from server import create_app

    crashing = create_app({"INSTANCE_PATH": shared_instance})

    @crashing.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = crashing.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.data
    assert b"RuntimeError" not in response.data


def test_home_lists_every_article_and_help(get_page, app):
    """Home links every guide article and a prominent help link."""
    soup = get_page("/")
    links = {a["href"] for a in soup.select("main a[href]")}
    for article in app.extensions["wayfinder.content"].guide:
        assert f"/guide/{article.slug}" in links
    assert "/help" in links and "/tools" in links


def test_help_has_us_crisis_lines(get_page):
    """Help has 988, Crisis Text Line and SAMHSA as tel:/sms: links."""
    soup = get_page("/help")
    hrefs = {a["href"] for a in soup.select("a[href]")}
    assert "tel:988" in hrefs
    assert "sms:988" in hrefs
    assert "sms:741741?body=HOME" in hrefs
    assert "tel:18006624357" in hrefs


def test_about_says_not_medical_advice_and_what_is_stored(get_page):
    """About says it is not medical advice and what is and is not stored."""
    text = get_page("/about").get_text(" ")
    assert "not medical advice" in text
    assert "stored only on this device" in text
    assert "no analytics" in text


def test_my_data_carries_the_app_version_and_is_linked(get_page):
    """/my-data names the app version for backups; /about and the footer link it."""
    from importlib import metadata

    soup = get_page("/my-data")
    component = soup.select_one("[data-module='my-data']")
    assert component["data-app-version"] == metadata.version("wayfinder")
    assert soup.select_one("footer a[href='/my-data']") is not None
    about = get_page("/about")
    assert about.select_one("#about-data-heading") is not None
    assert about.select_one("main a[href='/my-data']") is not None
