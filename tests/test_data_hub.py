"""The paper's 19 Hub tasks (arXiv 2412.03881, Section 5.2) run offline against a fake `datasets.load_dataset`
that serves rows in each dataset's raw shape (its splits, fields and label types), so every formatter, the coin
flip, the balancing and the split recipe are exercised without a network. The fake refuses repositories that still
hold a loading script the way `datasets` >= 4 does. The real calls are the same code with the default loader."""
import datasets
import numpy as np
import pytest

from w2s_nb.data import HUB_TASKS, SPLITS, SplitSizes, load_task, split_fingerprint

# one raw row per task, in the shape its Hub dataset has; `i` varies the text, `y` the binary label where the
# task is binary (multiple-choice tasks get their label from the coin flip)
RAW_ROWS = {
    "anli-r2": lambda i, y: {"uid": str(i), "premise": f"A man plays guitar {i}.", "hypothesis": "Music is made.",
                             "label": 0 if y else 2, "reason": ""},
    "cola": lambda i, y: {"sentence": f"The cat sat {i}.", "label": y, "idx": i},
    "dream": lambda i, y: {"id": i, "dialogue_id": str(i), "dialogue": ["M: Hi.", f"W: It is {i} o'clock."],
                           "question": "What time is it?", "choice": [f"{i} o'clock", "noon", "midnight"],
                           "answer": f"{i} o'clock"},
    "mc_taco": lambda i, y: {"sentence": f"He slept {i} hours.", "question": "How long did he sleep?",
                             "answer": f"{i} hours", "label": y, "category": "Event Duration"},
    "hellaswag": lambda i, y: {"ind": i, "activity_label": "Cooking", "ctx_a": "", "ctx_b": "",
                               "ctx": f"She cracks {i} eggs into a bowl and", "endings": ["whisks them.", "flies.",
                               "sings.", "sleeps."], "source_id": "x", "split": "train", "split_type": "indomain",
                               "label": "0"},
    "multirc": lambda i, y: {"paragraph": f"Tom has {i} apples.", "question": "How many apples?",
                             "answer": str(i), "idx": {"paragraph": 0, "question": 0, "answer": i}, "label": y},
    "paws": lambda i, y: {"id": i, "sentence1": f"It rained {i} days.", "sentence2": f"For {i} days it rained.",
                          "label": y},
    "piqa": lambda i, y: {"goal": f"Open jar {i}", "sol1": "Twist the lid.", "sol2": "Freeze the lid.", "label": i % 2},
    "quail": lambda i, y: {"id": str(i), "context_id": "c", "question_id": "q", "domain": "fiction",
                           "metadata": {}, "context": f"Ann wrote {i} letters.", "question": "What did Ann write?",
                           "question_type": "Factual", "answers": ["letters", "songs", "books", "none"],
                           "correct_answer_id": 0},
    "quartz": lambda i, y: {"id": str(i), "question": f"Is object {i} heavier when bigger?",
                            "choices": {"text": ["heavier", "lighter"], "label": ["A", "B"]}, "answerKey": "A",
                            "para": "Bigger objects weigh more.", "para_id": "p", "para_anno": {},
                            "question_anno": {}},
    "social_i_qa": lambda i, y: {"context": f"Jo helped {i} friends.", "question": "How did Jo feel?",
                                 "answerA": "happy", "answerB": "angry", "answerC": "bored",
                                 "label": str(1 + i % 3)},                  # lighteval/siqa: a string "1".."3"
    "sst2": lambda i, y: {"idx": i, "sentence": f"a film with {i} good moments", "label": y},
    "wic": lambda i, y: {"word": "bank", "sentence1": f"The bank {i} opened.", "sentence2": "The river bank.",
                         "start1": 4, "start2": 10, "end1": 8, "end2": 14, "idx": i, "label": y},
    "twitter-sentiment": lambda i, y: {"text": f"loving day {i}", "label": y},
    "sciq": lambda i, y: {"question": f"What gas, case {i}?", "distractor3": "neon", "distractor1": "oxygen",
                          "distractor2": "helium", "correct_answer": "carbon dioxide", "support": "Plants use CO2."},
    "anthropic_hh": lambda i, y: {"chosen": f"\n\nHuman: hi {i}\n\nAssistant: Hello! How can I help?",
                                  "rejected": f"\n\nHuman: hi {i}\n\nAssistant: Go away."},
    "cosmos_qa": lambda i, y: {"id": str(i), "context": f"We walked {i} miles.", "question": "Why were we tired?",
                               "answer0": "We walked far.", "answer1": "We slept.", "answer2": "We ate.",
                               "answer3": "None of the above choices.", "label": 0},
    "boolq": lambda i, y: {"question": f"is {i} even", "answer": bool(y), "passage": f"{i} is a number."},
    "amazon_polarity": lambda i, y: {"label": y, "title": f"Item {i}", "content": "It works."},
}


# the splits each source repository has (the labelled ones the registry may use, plus hidden-label test splits)
REAL_SPLITS = {
    "anli-r2": {"train_r1", "dev_r1", "test_r1", "train_r2", "dev_r2", "test_r2", "train_r3", "dev_r3", "test_r3"},
    "cola": {"train", "validation", "test"}, "dream": {"train", "validation", "test"},
    "mc_taco": {"validation", "test"}, "hellaswag": {"train", "validation", "test"},
    "multirc": {"train", "validation", "test"}, "paws": {"train", "validation", "test"},
    "piqa": {"train", "validation", "test"}, "quail": {"train", "validation", "challenge"},
    "quartz": {"train", "validation", "test"}, "social_i_qa": {"train", "validation"},
    "sst2": {"train", "validation", "test"}, "wic": {"train", "validation", "test"},
    "twitter-sentiment": {"train", "test"}, "sciq": {"train", "validation", "test"},
    "anthropic_hh": {"train", "test"}, "cosmos_qa": {"train", "validation", "test"},
    "boolq": {"train", "validation"}, "amazon_polarity": {"train", "test"},
}
# repositories that still hold a loading script: `datasets` >= 4 refuses them on their main branch
SCRIPT_REPOS = {"dataset-org/dream": "dream.py", "CogComp/mc_taco": "mc_taco.py", "ybisk/piqa": "piqa.py",
                "allenai/social_i_qa": "social_i_qa.py", "allenai/cosmos_qa": "cosmos_qa.py",
                "carblacac/twitter-sentiment-analysis": "twitter-sentiment-analysis.py"}


def refuse_scripts(path, kwargs):
    "Raise as `datasets` >= 4 does for a repository whose requested revision holds a loading script"
    if path in SCRIPT_REPOS and kwargs.get("revision") in (None, "main"):
        raise RuntimeError(f"Dataset scripts are no longer supported, but found {SCRIPT_REPOS[path]}")


def fake_loader(task, n_rows=80):
    "A stand-in for datasets.load_dataset that serves `n_rows` raw rows (alternating labels) for the real splits"
    def load(path, name=None, split=None, **kwargs):
        spec = HUB_TASKS[task]
        refuse_scripts(path, kwargs)
        assert (path, name) == (spec.path, spec.name), (path, name)
        assert kwargs == spec.load_kwargs(), kwargs            # revision / data_dir passed through, nothing else
        if split not in REAL_SPLITS[task]: raise ValueError(f'Unknown split "{split}". Should be one of {sorted(REAL_SPLITS[task])}.')
        return datasets.Dataset.from_list([RAW_ROWS[task](i, i % 2) for i in range(n_rows)])
    return load


SIZES = SplitSizes(weak_train=10, strong_train=10, val=6, test=10)


def test_every_hub_task_has_a_fake_row():
    assert sorted(RAW_ROWS) == sorted(HUB_TASKS) == sorted(REAL_SPLITS)


def test_no_task_reads_a_script_repository():
    for task, spec in HUB_TASKS.items():
        refuse_scripts(spec.path, spec.load_kwargs())          # raises for a script repository on its main branch
        assert {spec.train_split, spec.test_split} <= REAL_SPLITS[task], task


def test_a_script_repository_is_refused_with_the_way_out(monkeypatch):
    import dataclasses
    monkeypatch.setitem(HUB_TASKS, "piqa", dataclasses.replace(HUB_TASKS["piqa"], path="ybisk/piqa"))
    def load(path, name=None, split=None, **kwargs):
        refuse_scripts(path, kwargs); raise AssertionError("a script repository was not refused")
    with pytest.raises(RuntimeError, match="Dataset scripts are no longer supported") as info:
        load_task("piqa", SIZES, loader=load)
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "ybisk/piqa" in notes and "refs/convert/parquet" in notes, notes
    monkeypatch.setitem(HUB_TASKS, "piqa", dataclasses.replace(HUB_TASKS["piqa"], revision="refs/convert/parquet"))
    seen = {}
    def parquet(path, name=None, split=None, **kwargs):
        refuse_scripts(path, kwargs); seen.update(kwargs)
        return datasets.Dataset.from_list([RAW_ROWS["piqa"](i, i % 2) for i in range(80)])
    assert load_task("piqa", SIZES, loader=parquet)["test"].num_rows == SIZES.test
    assert seen == {"revision": "refs/convert/parquet"}


def test_pool_test_carves_paper_sizes_from_a_small_test_source():
    "sciq at paper sizes: its 1,000-question test split is too small; pooled with train (and shrunk) it fits"
    def load(path, name=None, split=None, **kwargs):
        n_rows = {"train": 11_679, "test": 1_000}[split]
        return datasets.Dataset.from_list([RAW_ROWS["sciq"](i, 0) for i in range(n_rows)])
    with pytest.raises(ValueError, match="pool_test=True"):
        load_task("sciq", "paper", loader=load)
    pooled = load_task("sciq", SplitSizes(4000, 4000, 1000, 3000), loader=load, pool_test=True)
    ids = [i for s in SPLITS for i in pooled[s]["id"]]
    assert len(ids) == len(set(ids)) == 12_000 and sum(pooled["test"]["label"]) == 1500
    with pytest.warns(UserWarning, match="shrinking every split by 0.7"):
        shrunk = load_task("sciq", "paper", loader=load, pool_test=True, shrink=True)
    assert 3500 < shrunk["test"].num_rows < 4250


@pytest.mark.parametrize("task", sorted(HUB_TASKS))
def test_hub_task_offline(task):
    dd = load_task(task, SIZES, seed=0, loader=fake_loader(task))
    assert list(dd) == list(SPLITS)
    for split, n in zip(SPLITS, (10, 10, 6, 10)):
        frame = dd[split].to_pandas()
        assert list(frame.columns) == ["txt", "label", "id"]
        assert len(frame) == n and frame["label"].sum() == n // 2            # class-balanced
        assert frame["txt"].str.strip().str.len().min() > 0
    ids = [i for s in SPLITS for i in dd[s]["id"]]
    assert len(ids) == len(set(ids))                                         # disjoint splits
    spec = HUB_TASKS[task]
    assert all(i.startswith(f"{task}/{spec.test_split}/") for i in dd["test"]["id"])
    again = load_task(task, SIZES, seed=0, loader=fake_loader(task))
    assert split_fingerprint(again["test"]) == split_fingerprint(dd["test"])   # seeded


@pytest.mark.parametrize("task", [t for t, s in HUB_TASKS.items() if s.choice])
def test_choice_tasks_label_matches_the_right_answer(task):
    "A multiple-choice example is labelled 1 exactly when it shows the right candidate of its raw row"
    spec = HUB_TASKS[task]
    dd = load_task(task, SIZES, seed=1, loader=fake_loader(task))
    for split in SPLITS:
        for txt, label, id_ in zip(dd[split]["txt"], dd[split]["label"], dd[split]["id"]):
            row = int(id_.rsplit("/", 1)[1])                  # ids are task/source_split/raw_row
            candidates, right = spec.format(RAW_ROWS[task](row, row % 2))
            assert txt in candidates, (txt, candidates)
            assert (candidates.index(txt) == right) == bool(label), (txt, label)


def test_trust_remote_code_only_on_request():
    seen = {}
    def load(path, name=None, split=None, **kwargs):
        seen.update(kwargs)
        return datasets.Dataset.from_list([RAW_ROWS["boolq"](i, i % 2) for i in range(40)])
    load_task("boolq", SIZES, loader=load, trust_remote_code=True)
    assert seen == {"trust_remote_code": True}


def test_hub_failure_names_the_task():
    def offline(path, name=None, split=None, **kwargs): raise ConnectionError("no network")
    with pytest.raises(ConnectionError) as info:
        load_task("boolq", SIZES, loader=offline)
    assert "google/boolq" in "\n".join(getattr(info.value, "__notes__", []))


def test_large_sources_are_subsampled_not_fully_formatted(monkeypatch):
    "Only `oversample` x the needed rows are formatted, so a 3.6M-row source does not format 3.6M rows"
    import dataclasses
    calls, fmt = [], HUB_TASKS["sst2"].format
    def counting(row):
        calls.append(1); return fmt(row)
    monkeypatch.setitem(HUB_TASKS, "sst2", dataclasses.replace(HUB_TASKS["sst2"], format=counting))
    def load(path, name=None, split=None, **kwargs):
        return datasets.Dataset.from_list([RAW_ROWS["sst2"](i, i % 2) for i in range(1000)])
    load_task("sst2", SIZES, loader=load, oversample=2)
    assert len(calls) == 2 * SIZES.pool + 2 * SIZES.test, len(calls)


def test_multiple_choice_coin_is_fair_and_seeded():
    dd = load_task("sciq", SplitSizes(40, 40, 0, 40), seed=5, loader=fake_loader("sciq", 400), oversample=3)
    again = load_task("sciq", SplitSizes(40, 40, 0, 40), seed=5, loader=fake_loader("sciq", 400), oversample=3)
    assert list(dd["weak_train"]["txt"]) == list(again["weak_train"]["txt"])
    labels = np.array([label for s in SPLITS for label in dd[s]["label"]])
    assert labels.mean() == 0.5
