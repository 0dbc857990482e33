"""PGR of the bundled LM pair over many re-splits of one document set (weak, strong and w2s probes only, no mixing).

How many seeds does the LLM template need for a PGR interval that says something? This prints PGR per re-split and
the 95% t-interval of the first k seeds for several k. The activations come from the cache (computed on first use).

    cpu python benchmarks/llm_resplit_pgr.py --n 800 --seeds 30
"""
import argparse
import numpy as np
import pandas as pd
from scipy import stats
from w2s_nb.models import load_model
from w2s_nb.data import SplitSizes
from w2s_nb.llm import llm_arrays
from w2s_nb.probes import LogisticProbe, accuracy, pgr

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--n", type=int, default=800, help="documents per split")
ap.add_argument("--seeds", type=int, default=30, help="re-splits")
ap.add_argument("--doc-seed", type=int, default=0, help="which documents")
args = ap.parse_args()
weak, strong = load_model("minilm-l6"), load_model("smollm2-135m")
sizes = SplitSizes(weak_train=args.n, strong_train=args.n, val=0, test=args.n)
rows = []
for s in range(args.seeds):
    a = llm_arrays(weak, strong, "rotten_tomatoes", sizes=sizes, seed=args.doc_seed, resplit_seed=s, progress=False)
    w = LogisticProbe(l2=1e-3).fit(a["weak_train_acts"], a["weak_train_labels"])
    st = LogisticProbe(l2=1e-3).fit(a["pool_strong_acts"], a["pool_labels"])
    w2s = LogisticProbe(l2=1e-3).fit(a["pool_strong_acts"], w.predict_proba1(a["pool_weak_acts"]))
    acc = {m: accuracy(a["test_labels"], p.predict_proba1(x)) for m, p, x in
           (("weak", w, a["test_weak_acts"]), ("strong", st, a["test_strong_acts"]), ("w2s", w2s, a["test_strong_acts"]))}
    rows.append(dict(seed=s, **acc, pgr=pgr(acc["weak"], acc["strong"], acc["w2s"])))
table = pd.DataFrame(rows)
print(table.round(3).to_string(index=False))
for k in sorted({5, 10, 20, args.seeds}):
    if k > args.seeds or k < 2: continue
    x = table.pgr[:k]; half = stats.t.ppf(0.975, k - 1) * x.std() / np.sqrt(k)
    print(f"first {k} seeds: PGR {x.mean():.3f} sd {x.std():.3f} 95% [{x.mean() - half:.3f}, {x.mean() + half:.3f}]")
