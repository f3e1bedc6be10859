"""The analysis notebooks run top to bottom, offline, and are committed without outputs.

Each notebook is executed with nbclient in memory (the file on disk is never
written), with ``notebooks/`` as the working directory, so a notebook that
breaks because an API it calls changed fails here with the failing cell's
error.  Source: nbclient's documented ``NotebookClient(...).execute()`` API.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

#: Every notebook the suite executes.  A notebook added to the folder must be
#: added here (``test_every_notebook_is_executed`` fails otherwise).
#: A notebook whose geomap modules have not landed yet is xfailed, not skipped,
#: with the reason; remove the entry as soon as the module lands.
NOTEBOOK_XFAIL: dict[str, str | None] = {
    "01_article_to_map.ipynb": None,
    "02_crossing_timeline.ipynb": None,
    "03_incidents_and_the_border.ipynb": None,
}


def _params() -> list[object]:
    out = []
    for name, reason in NOTEBOOK_XFAIL.items():
        marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
        out.append(pytest.param(name, marks=marks, id=name.removesuffix(".ipynb")))
    return out


def test_every_notebook_is_executed() -> None:
    on_disk = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert on_disk == sorted(NOTEBOOK_XFAIL)


@pytest.mark.parametrize("name", sorted(NOTEBOOK_XFAIL))
def test_notebook_is_committed_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    dirty = [i for i, c in code if c.outputs or c.execution_count]
    assert dirty == [], f"{name}: code cells {dirty} have outputs; clear them before committing"
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "import geomap" in sources or "from geomap" in sources


@pytest.mark.parametrize("name", _params())
def test_notebook_runs_top_to_bottom(name: str) -> None:
    import nbclient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    try:
        client.execute()
    except CellExecutionError as err:
        pytest.fail(f"{name} failed:\n{err}", pytrace=False)
    images = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    assert images >= 1, f"{name} drew no figure"
