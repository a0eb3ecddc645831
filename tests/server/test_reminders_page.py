"""The /reminders page: well formed, explains itself without JavaScript, in the nav."""

from server import views


def test_reminders_page_is_well_formed(get_page):
    """The page parses, has one h1 and says what is stored before anything is on."""
    soup = get_page("/reminders")
    assert soup.h1.get_text(strip=True) == "Reminders"
    stored = soup.select_one("#stored-heading").find_parent("section").get_text(" ")
    assert "time zone" in stored and "nothing about your health" in stored
    assert "stays on this device" in stored
    assert soup.select_one("link[href*='/static/gen/reminders.']") is not None


def test_without_javascript_the_page_explains_what_is_needed(get_page):
    """A noscript message says reminders need JavaScript; the component is hidden."""
    soup = get_page("/reminders")
    noscript = soup.find("noscript")
    assert (
        noscript is not None
        and "need JavaScript and notifications" in noscript.get_text()
    )
    component = soup.select_one("[data-module='reminders']")
    assert component["data-api"] == "/api/push"
    panels = component.select("[data-panel], [data-editor], [data-settings]")
    assert panels and all(panel.has_attr("hidden") for panel in panels)


def test_permission_is_asked_only_from_the_turn_on_button(get_page):
    """The first reminder's form ends with the Turn on reminders button."""
    soup = get_page("/reminders")
    editor = soup.select_one("form[data-editor]")
    assert editor.select_one("[data-editor-submit]").get_text(strip=True) == (
        "Turn on reminders"
    )
    kinds = [o["value"] for o in editor.select("#reminder-kind option")]
    assert kinds == ["breathe", "mindfulness", "check-in", "medication", "custom"]
    days = [i["value"] for i in editor.select("input[name='days']")]
    assert days == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def test_every_page_links_to_reminders(get_page):
    """The main navigation links to /reminders, marked current on the page itself."""
    assert get_page("/").select_one("nav a[href='/reminders']") is not None
    current = get_page("/reminders").select_one("nav a[href='/reminders']")
    assert current["aria-current"] == "page"


def test_reminders_page_is_precached(app):
    """The page works offline: it is in the precache list."""
    with app.app_context():
        assert "/reminders" in views.offline_urls(app)
