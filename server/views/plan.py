"""My safety plan and hope box: pages whose content lives only on the device.

The server sends the steps, the examples and the crisis lines; what a person
writes is kept in the browser's personal store and never sent here.
"""

from typing import Any

from flask import Blueprint, Flask, render_template

from . import library

bp = Blueprint("plan", __name__)


def plan_data() -> dict[str, Any]:
    """The steps and each country's crisis lines, for the page's script."""
    lines = library().help
    services = {
        country.code: [
            {
                "id": f"line:{country.code}:{i}",
                "name": line.name,
                "contacts": [
                    {"kind": c.kind, "label": c.label, "href": c.href}
                    for c in line.contacts
                ],
            }
            for i, line in enumerate(country.lines)
            if line.purpose == "crisis"
        ]
        for country in lines.countries
    }
    return {**library().plan.as_data(), "services": services}


@bp.get("/my-plan")
def index() -> str:
    """Render the safety plan: the editor with JavaScript, a blank form without."""
    return render_template("plan.html", plan=library().plan, plan_data=plan_data())


@bp.get("/my-plan/hope-box")
def hope_box() -> str:
    """Render the hope box: reasons, photos, letters and kind words, on the device."""
    return render_template("hope_box.html", plan=library().plan)


def init_app(app: Flask) -> None:
    """Register the safety plan's pages."""
    app.register_blueprint(bp)
