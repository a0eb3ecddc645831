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


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/help/", "/help"),
        ("/guide/", "/guide"),
        ("/tools/", "/tools"),
        ("/guide/what-is-trd/", "/guide/what-is-trd"),
        ("/search/?q=sleep", "/search?q=sleep"),
    ],
)
def test_trailing_slash_goes_to_the_canonical_url(client, path, target) -> None:
    """A trailing slash is sent on, permanently, to the page without it."""
    response = client.get(path)
    assert response.status_code == 308
    assert response.headers["Location"] == target


def test_trailing_slash_on_no_page_is_still_not_found(client) -> None:
    """Only paths that name a page are redirected."""
    assert client.get("/no-such-page/").status_code == 404


def test_error_pages_carry_the_help_card(app, get_page) -> None:
    """The 404 and 500 pages lead on to help with every country's buttons."""
    from server.views import pages

    with app.test_request_context("/"):
        html, code = pages.server_error(Exception("boom"))
    assert code == 500 and 'data-module="help-card"' in html
    assert 'data-help-country="GB"' in html and "tel:999" in html


def test_titles_never_say_wayfinder_twice(get_page) -> None:
    """A title that already names Wayfinder gets no " · Wayfinder" after it."""
    assert get_page("/about").title.get_text() == "About Wayfinder"
    assert get_page("/help").title.get_text() == "Get help now · Wayfinder"


def test_articles_end_with_a_way_on(get_page, app) -> None:
    """Each article links to the one before and after it, and back to the guide."""
    guide = app.extensions["wayfinder.content"].guide
    first = get_page(f"/guide/{guide[0].slug}").select_one("nav.article-nav")
    assert first.select_one("a[rel=prev]") is None
    assert first.select_one("a[rel=next]")["href"] == f"/guide/{guide[1].slug}"
    middle = get_page(f"/guide/{guide[1].slug}").select_one("nav.article-nav")
    assert middle.select_one("a[rel=prev]")["href"] == f"/guide/{guide[0].slug}"
    last = get_page(f"/guide/{guide[-1].slug}").select_one("nav.article-nav")
    assert last.select_one("a[rel=next]") is None
    assert last.select_one("a[href='/guide']") is not None


def test_breaths_a_minute_read_as_people_say_them(get_page) -> None:
    """ "About 6 breaths a minute", never "About 6.0"."""
    text = get_page("/tools/breathing").get_text()
    assert ".0 breaths" not in text and "About 6 breaths a minute" in text


def test_about_shows_the_content_date_as_the_version(get_page, app) -> None:
    """The version people see is the content's date, not a hash."""
    updated = app.extensions["wayfinder.content"].updated
    saved = get_page("/about").select_one("[data-offline-saved]")
    assert saved["data-content-date"] == updated.strftime("%-d %B %Y")


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
