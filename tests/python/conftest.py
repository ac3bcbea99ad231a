"""Shared by the Python module's tests: where the sources and the `guidance` executable are, and the
CLI run as a user would, to compare with. CTest sets GUIDANCE_SOURCE_DIR, GUIDANCE_CLI and PYTHONPATH
(python/CMakeLists.txt)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("GUIDANCE_SOURCE_DIR", Path(__file__).resolve().parents[2]))
CLI = os.environ.get("GUIDANCE_CLI", str(SOURCE_DIR / "build" / "cli" / "guidance"))
FLAGSHIP = str(SOURCE_DIR / "scenarios" / "juniper_q4_2012.yaml")


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`guidance ARGS...`; with `check`, its exit status must be 0."""
    done = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def cli_json(*args: str) -> dict:
    """What `guidance ARGS... --format json` writes."""
    return json.loads(cli(*args, "--format", "json").stdout)


@pytest.fixture(scope="session")
def flagship() -> str:
    return FLAGSHIP


def cli_report(tmp_path: Path, *args: str) -> str:
    """The header and sections of the HTML page `guidance ARGS... --report PATH.html` writes: what a
    notebook shows of the same analysis (the page adds the document, "Reproduce" and a footer)."""
    page = tmp_path / "report.html"
    cli(*args, "--report", str(page))
    text = page.read_text()
    return text[text.index("<header>"):text.index("<section>\n<h2>Reproduce")]


def notebook_report(html: str) -> str:
    """The header and sections of a result's _repr_html_, after checking that it is a fragment to embed."""
    assert html.startswith('<div class="guidance-report">\n<style>')
    assert "<html" not in html and "<script" not in html and "<footer" not in html
    return html[html.index("<header>"):html.index("</main>")]
