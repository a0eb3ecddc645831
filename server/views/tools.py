"""Coping tools."""

from flask import Blueprint, render_template

bp = Blueprint("tools", __name__, url_prefix="/tools")


@bp.get("")
def index() -> str:
    """List the coping tools."""
    return render_template("tools.html")
