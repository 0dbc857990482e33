"Every bad input of the battery (benchmarks/bad_inputs.py) gets a clear answer: all of core, overlap, batch and the CLI, and every case of the other modules that loads no model."
import importlib.util, sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bad_inputs", ROOT / "benchmarks" / "bad_inputs.py")
bad_inputs = sys.modules["bad_inputs"] = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(bad_inputs)

MODULES = ("core", "overlap", "batch", "cli")
CASES = [c for c in bad_inputs.CASES if c.module in MODULES or not c.slow]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.module}: {c.description}" for c in CASES])
def test_bad_input_gets_a_clear_answer(case):
    if "without a GPU" in case.description and torch.cuda.is_available(): pytest.skip("a GPU is present: asking for CUDA is valid")
    outcome = bad_inputs.judge(case)
    assert outcome.verdict == "clear", outcome.detail          # "clear" covers valid alternatives that worked too


def test_the_judge_tells_clear_from_unclear_and_silent():
    "The battery's verdicts themselves: a control for each kind"
    Case, judge = bad_inputs.Case, bad_inputs.judge
    def raises(err): raise err
    assert judge(Case("x", "named", lambda: raises(ValueError("n must be >= 0")), "error", ValueError, "n must")).verdict == "clear"
    assert judge(Case("x", "unnamed", lambda: raises(ValueError("bad value")), "error", ValueError, "n must")).verdict == "unclear"
    assert judge(Case("x", "wrong type", lambda: raises(IndexError("n must")), "error", ValueError, "n must")).verdict == "unclear"
    assert judge(Case("x", "no complaint", lambda: 3, "error", ValueError, "n")).verdict == "silent"
    assert judge(Case("x", "no warning", lambda: 3, "warn", ValueError, "zeros")).verdict == "silent"
    assert judge(Case("x", "wrong answer", lambda: 3, "ok", check=lambda v: v == 4)).verdict == "silent"
    assert judge(Case("x", "valid fails", lambda: raises(ValueError("x")), "ok")).verdict == "broken"


def test_the_battery_covers_every_module_and_runs_as_a_script():
    assert {c.module for c in bad_inputs.CASES} >= {"core", "probes", "overlap", "streaming", "mixing", "selection", "data",
                                                    "label_models", "activations", "batch", "cli"}
    assert len(bad_inputs.CASES) >= 90
