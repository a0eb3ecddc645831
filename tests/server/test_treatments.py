"""My treatments: the medicines list checked at start-up (bad entries stop the
app, naming the file and the problem), its sources, the page with the list as
JSON, and a page that carries no personal data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server import create_app
from server.content import ContentError
from server.content.medicines import load_medicines

ROOT = Path(__file__).resolve().parents[2]
MEDICINES_FILE = ROOT / "content" / "medicines.yaml"

#: What the issue asks the list to cover, at the least.
REQUIRED = {
    "sertraline", "fluoxetine", "citalopram", "escitalopram", "paroxetine",
    "venlafaxine", "duloxetine", "desvenlafaxine", "bupropion", "mirtazapine",
    "amitriptyline", "nortriptyline", "clomipramine", "phenelzine",
    "tranylcypromine", "vortioxetine", "vilazodone", "lithium", "aripiprazole",
    "brexpiprazole", "quetiapine", "cariprazine", "liothyronine", "esketamine",
}  # fmt: skip


@pytest.fixture()
def medicines(app):
    """The medicines list loaded at start-up."""
    return app.extensions["wayfinder.content"].medicines


def test_the_list_covers_the_common_medicines(medicines) -> None:
    """Antidepressants of each class, the add-ons and esketamine are there."""
    ids = {m.id for m in medicines.medicines}
    assert REQUIRED <= ids
    classes = {m["id"]: m["class"] for m in medicines.as_data()}
    assert classes["sertraline"].startswith("SSRI")
    assert classes["venlafaxine"].startswith("SNRI")
    assert classes["phenelzine"].startswith("MAOI")
    assert classes["nortriptyline"].startswith("Tricyclic")
    assert classes["lithium"] == "Mood stabiliser"


def test_every_entry_cites_a_primary_publisher(medicines) -> None:
    """Each medicine has sources from a regulator, guideline body, journal or index."""
    for entry in medicines.as_data():
        assert entry["sources"], entry["id"]
        for source in entry["sources"]:
            assert source["url"].startswith("https://"), entry["id"]
    hosts = {"nice.org.uk", "accessdata.fda.gov", "doi.org", "psychiatryonline.org"}
    urls = " ".join(str(s.url) for s in medicines.sources.values())
    assert all(h in urls for h in hosts)


def test_no_minimum_dose_without_a_published_source(medicines) -> None:
    """The shipped list gives no minimum doses: none has a primary source yet."""
    assert all(m.minimumDose is None for m in medicines.medicines)
    assert all("minimumDose" not in m for m in medicines.as_data())


SERTRALINE = (
    "{id: sertraline, name: sertraline, brands: [Zoloft, Lustral], class: ssri}"
)
DOSE = (
    "{id: sertraline, name: sertraline, brands: [Zoloft, Lustral], class: ssri,"
    " minimumDose: {amount: 50, unit: mg, source: {title: A label,"
    " url: 'https://www.accessdata.fda.gov/x'}}}"
)
NO_SOURCE = (
    "{id: sertraline, name: sertraline, class: ssri,"
    " minimumDose: {amount: 50, unit: mg}}"
)

#: (text to replace, its replacement, the problem named).
BAD = [
    ("class: snri}", "class: snrri}", "unknown class 'snrri'"),
    ("id: fluoxetine,", "id: sertraline,", "medicine id 'sertraline' appears twice"),
    ("[fda-rexulti]", "[fda-nothing]", "cites unknown source 'fda-nothing'"),
    ("reviewed: 2026-12-02", "reviewed: soon", "reviewed"),
    ("\nmedicines:", "\nextra: 1\nmedicines:", "unknown field extra"),
    (SERTRALINE, NO_SOURCE, "minimumDose.source"),
    (SERTRALINE, DOSE.replace("amount: 50", "amount: 0"), "amount"),
    ("name: citalopram,", "name: '',", "name"),
    ("id: nausea,", "id: Nausea Now,", "sideEffects.0.id"),
    ("{id: ssri,", "{id: ssri, colour: blue,", "unknown field"),
]


def _write(tmp_path: Path, text: str) -> Path:
    """Write a changed copy of the list."""
    bad = tmp_path / "medicines.yaml"
    bad.write_text(text, encoding="utf-8")
    return bad


@pytest.mark.parametrize(("old", "new", "problem"), BAD)
def test_bad_entries_stop_start_up(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    """A bad class, a duplicate, an unknown source or a bad dose names the file."""
    text = MEDICINES_FILE.read_text(encoding="utf-8")
    assert old in text
    bad = _write(tmp_path, text.replace(old, new, 1))
    with pytest.raises(ContentError, match=problem) as caught:
        load_medicines(bad)
    assert caught.value.path == str(bad)


def test_a_sourced_minimum_dose_reaches_the_page(tmp_path: Path) -> None:
    """With its source, a minimum dose is accepted and given to the page."""
    text = MEDICINES_FILE.read_text(encoding="utf-8").replace(SERTRALINE, DOSE)
    medicines = load_medicines(_write(tmp_path, text))
    entry = next(m for m in medicines.as_data() if m["id"] == "sertraline")
    assert entry["minimumDose"] == {
        "amount": 50.0,
        "unit": "mg",
        "source": {"title": "A label", "url": "https://www.accessdata.fda.gov/x"},
    }
    assert "https://www.accessdata.fda.gov/x" in set(medicines.urls())


def test_a_missing_list_or_a_source_on_an_unknown_host_stops_the_app(
    tmp_path: Path,
) -> None:
    """The whole app refuses to start, naming medicines.yaml."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "medicines.yaml").unlink()
    settings = {
        "TESTING": True,
        "INSTANCE_PATH": tmp_path / "i",
        "CONTENT_DIR": content,
    }
    with pytest.raises(ContentError, match="the medicines list is missing"):
        create_app(settings)
    text = MEDICINES_FILE.read_text(encoding="utf-8").replace(
        "https://www.nhs.uk/medicines/lithium/", "https://medicines.example.com/lithium"
    )
    (content / "medicines.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match="medicines.example.com") as caught:
        create_app(settings)
    assert caught.value.path.endswith("medicines.yaml")


def test_the_page_has_the_list_as_data(get_page, medicines) -> None:
    """The page sends the list and the side effects; the log waits for JavaScript."""
    soup = get_page("/my-treatments")
    assert soup.select_one("h1").get_text() == "My treatments"
    root = soup.select_one("[data-module=my-treatments]")
    assert root.has_attr("hidden")
    data = json.loads(root.select_one("script#medicines").string)
    assert data == medicines.as_data()
    effects = json.loads(root.select_one("script#side-effects").string)
    assert {"id": "nausea", "label": "Feeling sick"} in effects
    assert "only on this device" in soup.select_one(".lead").get_text()
    assert soup.select_one(".help-card") is not None
    assert soup.select_one("a[href='/appointment']") is not None
    sources = {a["href"] for a in soup.select(".treatments-sources a")}
    assert "https://www.nice.org.uk/guidance/ng222/chapter/Recommendations" in sources


def test_the_page_is_precached(app) -> None:
    """/my-treatments is in the service worker's offline list."""
    from server.views import offline_urls

    assert "/my-treatments" in offline_urls(app)
