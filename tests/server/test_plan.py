"""My safety plan and hope box: the pages, the blank form without JavaScript,
the steps' content (order, credit, sources, plain words), help cards that offer
the plan, and pages that carry no personal data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.content import ContentError
from server.content.plan import STEP_SLUGS, load_plan

ROOT = Path(__file__).resolve().parents[2]
STEPS_FILE = ROOT / "content" / "plan" / "steps.yaml"


@pytest.fixture()
def plan(app):
    """The safety plan's steps loaded at start-up."""
    return app.extensions["wayfinder.content"].plan


def test_the_steps_follow_the_method_s_order(plan) -> None:
    """Six steps and reasons for living, in the Safety Planning Intervention's order."""
    assert tuple(s.slug for s in plan.steps) == STEP_SLUGS
    assert [s.title for s in plan.steps] == [
        "My warning signs",
        "Things I can do on my own to feel calmer",
        "People and places that take my mind off things",
        "People I can ask for help",
        "Professionals and crisis services",
        "Making my surroundings safer",
        "My reasons for living",
    ]
    assert [s.contacts for s in plan.steps].count("services") == 1
    assert all(len(s.examples) >= 2 for s in plan.steps)


def test_credit_and_primary_sources(plan) -> None:
    """Credited to Stanley and Brown, with the method paper and the 2018 trial."""
    assert "Stanley" in plan.credit and "Brown" in plan.credit
    urls = {str(s.url) for s in plan.sources}
    assert "https://doi.org/10.1016/j.cbpra.2011.01.001" in urls
    assert "https://doi.org/10.1001/jamapsychiatry.2018.1776" in urls


def test_surroundings_stay_general(plan) -> None:
    """ "Making my surroundings safer" names no method or means."""
    step = next(s for s in plan.steps if s.slug == "surroundings")
    words = " ".join([step.text, step.field, *step.examples]).lower()
    for word in ("pill", "medic", "tablet", "rope", "gun", "firearm", "knife", "blade"):
        assert word not in words


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace("slug: reasons", "slug: hopes"), "the steps must be"),
        (lambda t: t.replace("reviewed: 2026-12-02", "reviewed: soon"), "reviewed"),
        (lambda t: t + "extra: 1\n", "unknown field extra"),
        (
            lambda t: t.replace("    contacts: services", "    contacts: pets"),
            "contacts",
        ),
    ],
)
def test_bad_steps_stop_start_up(tmp_path: Path, change, problem: str) -> None:
    """A wrong order, a bad date, an unknown key or a bad kind names the file."""
    bad = tmp_path / "steps.yaml"
    bad.write_text(change(STEPS_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContentError, match=problem) as caught:
        load_plan(bad)
    assert caught.value.path == str(bad)


def test_the_plan_page_has_a_blank_form_and_the_steps_as_data(get_page, plan) -> None:
    """Without JavaScript: kept on the device, every step to fill in by hand."""
    soup = get_page("/my-plan")
    assert soup.select_one("h1").get_text() == "My safety plan"
    paper = soup.select_one("[data-plan-paper]")
    assert "kept only on this device" in paper.get_text()
    assert "print" in paper.get_text().lower()
    assert [h.get_text() for h in paper.select("h2")] == [s.title for s in plan.steps]
    app_root = soup.select_one("[data-module=plan]")
    assert app_root.has_attr("hidden")
    data = json.loads(app_root.select_one("script[type='application/json']").string)
    assert [s["slug"] for s in data["steps"]] == list(STEP_SLUGS)
    gb = data["services"]["GB"]
    assert gb[0]["name"] == "Samaritans"
    assert gb[0]["contacts"][0]["href"] == "tel:116123"
    assert all(line["id"].startswith("line:GB:") for line in gb)
    assert "Stanley" in soup.select_one(".plan-credit").get_text()


def test_the_hope_box_page(get_page) -> None:
    """The hope box explains itself and waits for JavaScript to open the store."""
    soup = get_page("/my-plan/hope-box")
    assert soup.select_one("h1").get_text() == "My hope box"
    assert soup.select_one("[data-module=hope-box]").has_attr("hidden")
    assert soup.select_one("input[type=file][accept='image/*']") is not None
    assert "only on this device" in soup.select_one(".lead").get_text()


@pytest.mark.parametrize("path", ["/", "/help", "/search?q=I+want+to+die", "/offline"])
def test_help_cards_offer_the_plan(get_page, path: str) -> None:
    """Each help card links to the plan; its "My safety plan" button is there
    for main.css to show once a plan is kept (test_plan.py in the browser)."""
    soup = get_page(path)
    card = soup.select_one(".help-card")
    button = card.select_one("[data-plan-button]")
    assert "help-card__plan" in button["class"]
    assert button.select_one("a")["href"] == "/my-plan"
    more = card.select_one(".help-card__make [data-plan-more]")
    assert more["href"] == "/my-plan" and more.get_text() == "Make a safety plan"


def test_the_feeling_worse_answer_links_to_the_plan(get_page) -> None:
    """After a tool, "Worse" offers the safety plan."""
    soup = get_page("/tools/breathing/box")
    worse = soup.select_one("[data-feeling-worse]")
    assert worse.select_one("a[href='/my-plan']") is not None


def test_the_plan_pages_are_precached(app) -> None:
    """Both pages are in the service worker's offline list."""
    from server.views import offline_urls

    urls = offline_urls(app)
    assert "/my-plan" in urls and "/my-plan/hope-box" in urls
