"README.md is rendered from nbs/index.ipynb, names the two commands and says how to build and open the docs site."
import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_in_sync_with_index():
    proc = subprocess.run([sys.executable, "scripts/readme.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_readme_names_both_commands_and_ci_calls_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "bash scripts/reproduce.sh" in readme and "bash scripts/test.sh" in readme
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_readme_says_how_to_build_and_open_the_docs_site():
    readme = (ROOT / "README.md").read_text()
    assert "bash scripts/docs.sh" in readme and "_docs/index.html" in readme and "python scripts/execute.py" in readme
    assert (ROOT / "scripts" / "docs.sh").is_file() and (ROOT / "scripts" / "execute.py").is_file()
