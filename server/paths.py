"""Where the app's non-Python parts live, in a checkout or an installed wheel."""

from pathlib import Path

_HERE = Path(__file__).resolve().parent
_BUNDLED = _HERE / "_bundled"

#: The folder holding content/, frontend/ and service_worker/.
ROOT = _BUNDLED if _BUNDLED.is_dir() else _HERE.parent
CONTENT = ROOT / "content"
FRONTEND = ROOT / "frontend"
TEMPLATES = FRONTEND / "templates"
SERVICE_WORKER = ROOT / "service_worker"
