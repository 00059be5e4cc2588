"""Every notebook in notebooks/ runs top to bottom in a fresh kernel.

The notebooks are where users verify homework, and each asserts every number
it states, so running them is what turns an engine regression into a red
suite.  The kernel is always the interpreter running pytest (not whatever
kernel named "python3" a machine has registered), with a throwaway IPython
profile so no user start-up script runs, and cwd = notebooks/ as when a user
opens one.  Nothing is written back: a notebook is read, executed in memory
and dropped.  Notebooks are stored without outputs so diffs show only what
was edited.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import pytest

try:
    import nbformat
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as e:  # pragma: no cover - the Makefile installs the extra
    raise ImportError(f"the notebook tests need the notebooks extra "
                      f"(pip install -e '.[notebooks]'): {e}") from None

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SEEDS = ROOT.parent / "shared" / "seeds"  # the homework documents, next to the repository
CELL_TIMEOUT = 60  # seconds: each notebook runs in seconds; this only stops a hang
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
SEED_NOTEBOOK = re.compile(r"(\d{3})_\w+\.ipynb")
SEED_FILE = re.compile(r"\b(\d{3})_[0-9a-f]{16}\.txt\b")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _ids(paths):
    return [p.name for p in paths]


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file but the notebooks themselves (which someone may be editing
    while the tests run): a notebook must not leave drawings or data behind."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".ipynb"}


def _kernel_manager() -> KernelManager:
    """A manager for ipykernel on sys.executable: with no kernel directories
    to search, "python3" resolves to ipykernel's own spec for this interpreter."""
    return KernelManager(kernel_name=NATIVE_KERNEL_NAME,
                         kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))


def _failure(name: str, nb, error: Exception) -> str:
    """The failing cell (number and source) and its error, without colour codes."""
    for number, cell in enumerate(nb.cells, 1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                trace = _ANSI.sub("", "\n".join(out.get("traceback", [])))
                return (f"{name}: cell {number} failed\n--- cell source ---\n{cell.source}\n"
                        f"--- error ---\n{trace or out['ename'] + ': ' + out['evalue']}")
    return f"{name}: {_ANSI.sub('', str(error))}"


def execute(nb, name: str, workdir: Path) -> str | None:
    """Run `nb` (in place, in memory) in a fresh kernel with cwd `workdir`;
    None if every cell ran, else the report of the first failing cell."""
    client = NotebookClient(nb, km=_kernel_manager(), timeout=CELL_TIMEOUT, startup_timeout=60,
                            resources={"metadata": {"path": str(workdir)}})
    with tempfile.TemporaryDirectory() as profile:
        env = {**os.environ, "IPYTHONDIR": profile}
        env.pop("MPLBACKEND", None)  # the kernel's inline backend, whatever the shell says
        try:
            client.execute(env=env)
        except CellTimeoutError as e:
            return f"{name}: a cell ran longer than {CELL_TIMEOUT} s\n{e}"
        except (CellExecutionError, DeadKernelError) as e:
            return _failure(name, nb, e)
    return None


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_notebook_runs_clean(path):
    before = _snapshot(NOTEBOOKS)
    failure = execute(nbformat.read(path, as_version=4), path.name, NOTEBOOKS)
    if failure:  # reported here, not inside nbclient's chained traceback
        pytest.fail(failure, pytrace=False)
    assert _snapshot(NOTEBOOKS) == before, f"running {path.name} left files in notebooks/"


def test_a_failing_cell_is_reported_with_its_source_and_error(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# a notebook that breaks"),
        nbformat.v4.new_code_cell(f"import os\nassert os.path.samefile(os.getcwd(), "
                                  f"{str(tmp_path)!r})\nx = 0.1 + 0.2"),
        nbformat.v4.new_code_cell("assert x == 0.3, f'x is {x!r}'"),
        nbformat.v4.new_code_cell("open('never-reached', 'w')"),
    ])
    failure = execute(nb, "broken.ipynb", tmp_path)
    assert failure.startswith("broken.ipynb: cell 3 failed\n--- cell source ---\n"
                              "assert x == 0.3, f'x is {x!r}'\n--- error ---\n")
    assert "AssertionError: x is 0.30000000000000004" in failure
    assert "\x1b[" not in failure
    assert list(tmp_path.iterdir()) == []  # the run stopped at cell 3


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", (
        f"{path.name}: the kernelspec must be python3 (the kernel the Makefile registers)")
    dirty = [n for n, c in enumerate(nb.cells, 1) if c.cell_type == "code"
             and (c.outputs or c.execution_count is not None)]
    assert not dirty, (f"{path.name}: cells {dirty} are stored with outputs or execution "
                       f"counts; clear them (Jupyter: Edit > Clear Outputs of All Cells)")


def test_notebooks_exist():
    assert (NOTEBOOKS / "quickstart.ipynb") in PATHS
    assert any(SEED_NOTEBOOK.fullmatch(p.name) for p in PATHS)


SEED_PATHS = [p for p in PATHS if SEED_NOTEBOOK.fullmatch(p.name)]


@pytest.mark.parametrize("path", SEED_PATHS, ids=_ids(SEED_PATHS))
def test_seed_notebook_cites_its_seed_file_in_the_title_cell(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), (
        f"{path.name}: the first cell must be a markdown title")
    number = SEED_NOTEBOOK.fullmatch(path.name).group(1)
    cited = [m.group(0) for m in SEED_FILE.finditer(first.source) if m.group(1) == number]
    assert cited, f"{path.name}: the title cell must cite the seed file {number}_<hash>.txt"
    if SEEDS.is_dir():
        assert (SEEDS / cited[0]).is_file(), f"{path.name} cites {cited[0]}, not in {SEEDS}"


def test_every_seed_document_has_a_notebook():
    documents = sorted(p.name for p in SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    cited = {m.group(0) for p in SEED_PATHS
             for m in SEED_FILE.finditer(nbformat.read(p, as_version=4).cells[0].source)}
    assert [d for d in documents if d not in cited] == []
