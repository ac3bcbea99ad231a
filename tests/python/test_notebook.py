"""docs/notebook.ipynb runs from top to bottom, headless, so that it cannot rot."""

import re
import subprocess
import sys

import nbformat

from conftest import SOURCE_DIR


def test_the_notebook_runs(tmp_path):
    notebook = SOURCE_DIR / "docs" / "notebook.ipynb"
    # The kernel starts in the notebook's folder (its paths are relative to docs/) and inherits PYTHONPATH.
    done = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
                           "--ExecutePreprocessor.timeout=600", "--output-dir", str(tmp_path), str(notebook)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    executed = nbformat.read(tmp_path / "notebook.ipynb", as_version=4)
    outputs = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    html = [output.data["text/html"] for output in outputs if "text/html" in output.get("data", {})]
    # The run, the sensitivity analysis, the compare and the sweep show themselves as their HTML reports.
    reports = [text for text in html if text.startswith('<div class="guidance-report">') and "<svg" in text]
    assert [re.search('<p class="kind">(.*?)</p>', text).group(1) for text in reports] == [
        "Monte Carlo guidance report", "Sensitivity report", "Variant comparison", "Parameter sweep"]
    assert any("error: sd must be > 0, found -3" in output.get("text", "") for output in outputs)


def test_the_readmes_example_runs(monkeypatch):
    readme = (SOURCE_DIR / "README.md").read_text()
    section = readme[readme.index("## In a notebook"):]
    example = section[section.index("```python\n") + len("```python\n"):section.index("```\n", section.index("```python"))]
    assert "guidance.load(" in example
    monkeypatch.chdir(SOURCE_DIR)  # its paths are relative to the repository's root
    exec(compile(example, "README.md", "exec"), {})
