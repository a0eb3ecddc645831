"""Search: the /search page and the index the browser searches offline."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request

from .. import search

bp = Blueprint("search", __name__)

#: What each kind of page is called in the results.
KIND_LABELS = {"guide": "Guide article", "tool": "Coping tool", "help": "Get help now"}
#: Longest query the server will look at.
MAX_QUERY = 200


def _tools(app: Flask) -> Any:
    """The coping tools the tools area loaded, if it has loaded any yet."""
    return app.extensions["wayfinder.content"].extra.get("tools")


def build(app: Flask) -> None:
    """Build the search index from the loaded content and remember it."""
    tools = _tools(app)
    data = search.build_index_data(app.extensions["wayfinder.content"], tools)
    app.extensions["wayfinder.search"] = {
        "tools": tools,
        "data": data,
        "json": search.index_json(data),
        "index": search.SearchIndex(data),
    }


def current(app: Flask) -> dict[str, Any]:
    """The built index; rebuilt once if the tools were loaded after start-up."""
    built = app.extensions.get("wayfinder.search")
    if built is None or built["tools"] is not _tools(app):
        build(app)
        built = app.extensions["wayfinder.search"]
    return built


@bp.get("/search")
def page() -> str:
    """Search the guide, tools and help; results are rendered on the server."""
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    results = current(current_app)["index"].search(query) if query else []
    return render_template(
        "search.html", query=query, results=results, kinds=KIND_LABELS
    )


@bp.get("/search-index.json")
def index_data() -> Response:
    """The search index as compact JSON, for searching offline in the browser."""
    return Response(current(current_app)["json"], mimetype="application/json")


def init_app(app: Flask) -> None:
    """Register the search pages and build the index from the loaded content."""
    app.register_blueprint(bp)
    build(app)
