"Bad inputs to extraction and loading get a clear error; long texts keep their end; the shard size is recorded, not keyed"
import numpy as np
import pytest
import torch

import w2s_nb.activations as A
import w2s_nb.cache as C
import w2s_nb.models as M
from w2s_nb.data import SplitSizes


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return M.load_model(M.tiny_model(tmp_path_factory.mktemp("m") / "tiny", arch="llama"), device="cpu")


def test_extraction_refuses_bad_inputs(tiny):
    with pytest.raises(ValueError, match="texts is empty"): A.extract_activations(tiny, [], progress=False)
    for bad in (0, 1):
        with pytest.raises(ValueError, match="max_length must be >= 2"): A.extract_activations(tiny, ["a b"], max_length=bad)
    with pytest.raises(ValueError, match="512 positions"): A.extract_activations(tiny, ["a b"], max_length=100_000)
    with pytest.raises(TypeError, match="max_length must be an int"): A.extract_activations(tiny, ["a b"], max_length=8.5)
    with pytest.raises(TypeError, match="complex"): A.pool_hidden(torch.ones(1, 2, 4, dtype=torch.complex64), torch.ones(1, 2))


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message shown when no GPU is present")
def test_cuda_without_gpu_is_a_clear_error(tiny):
    with pytest.raises(ValueError, match="sees no CUDA GPU"): M.load_model("minilm-l6", device="cuda")


def test_default_dtype_is_float32_on_cpu(tiny):
    assert tiny.dtype == "float32" and M._default_dtype(torch.device("cpu")) == "float32"


def test_long_text_keeps_its_end(tiny):
    passage = " ".join(f"token{i}" for i in range(400))
    yes, no = passage + " Answer: yes", passage + " Answer: no"
    ids = A._tokenize(tiny, [yes, no], max_length=32)
    assert all(len(s) == 32 for s in ids) and ids[0] != ids[1]
    full = tiny.tokenizer(yes)["input_ids"]
    assert ids[0][1:] == full[-31:]                       # the first (special) token, then the text's last 31
    acts = A.extract_activations(tiny, [yes, no], max_length=32, progress=False)[-1]
    assert not np.allclose(acts[0], acts[1])


def test_shard_size_is_recorded_not_keyed(tiny, tmp_path):
    "shards change only float rounding: a finished folder is read whatever shard size the caller names"
    args = dict(layers=(-1,), sizes=SplitSizes(8, 8, 4, 24), cache_dir=tmp_path, progress=False)
    a = C.cache_activations(tiny, "rotten_tomatoes", "test", shard_size=8, **args)
    b = C.cache_activations(tiny, "rotten_tomatoes", "test", shard_size=24, **args)
    assert a.path == b.path and "shard_size" not in a.manifest["key"] and b.manifest["shard_size"] == 8
    assert (a.computed_texts, b.computed_texts, b.reused_texts) == (24, 0, 24)
    with pytest.raises(ValueError, match="shard_size must be an int >= 1"):
        C.cache_activations(tiny, "rotten_tomatoes", "test", shard_size=2.5, **args)


def test_gated_model_says_log_in_or_pass_a_token(monkeypatch):
    def gated(*args, **kwargs):
        raise OSError("You are trying to access a gated repo.\nMake sure to have access to it at "
                      "https://huggingface.co/meta-llama/Llama-3.1-8B.\n401 Client Error.")
    monkeypatch.setattr(M, "resolve_model", lambda model, cache_dir=None, revision=None: str(model))
    monkeypatch.setattr(M.AutoTokenizer, "from_pretrained", gated)
    with pytest.raises(PermissionError, match="gated model.*hf auth login.*token="):
        M.load_model(M.PAPER_MODELS["strong"], device="cpu")
    seen = {}
    def record(source, **kwargs): seen.update(kwargs); raise OSError("some other failure")
    monkeypatch.setattr(M.AutoTokenizer, "from_pretrained", record)
    with pytest.raises(OSError, match="some other failure"):        # other errors pass through unchanged
        M.load_model("org/model", device="cpu", token="hf_x")
    assert seen["token"] == "hf_x"


def test_device_map_decision():
    assert not M.needs_device_map(16 * 2**30, 80 * 2**30)           # an 8B model in bf16 on an 80 GB GPU
    assert M.needs_device_map(32 * 2**30, 24 * 2**30)               # in fp32 on a 24 GB GPU: spread it
    assert not M.needs_device_map(10**12, None)                     # the CPU never spreads
