"""The 19 Hub tasks of SPEC §5.2 run offline against a fake `datasets.load_dataset` that serves rows in each
dataset's raw shape, so every formatter, the coin flip, the balancing and the split recipe are exercised without a
network. The real calls are the same code with the default loader."""
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
    "piqa": lambda i, y: {"goal": f"Open jar {i}", "sol1": "Twist the lid.", "sol2": "Freeze the lid.", "label": 0},
    "quail": lambda i, y: {"id": str(i), "context_id": "c", "question_id": "q", "domain": "fiction",
                           "metadata": {}, "context": f"Ann wrote {i} letters.", "question": "What did Ann write?",
                           "question_type": "Factual", "answers": ["letters", "songs", "books", "none"],
                           "correct_answer_id": 0},
    "quartz": lambda i, y: {"id": str(i), "question": f"Is object {i} heavier when bigger?",
                            "choices": {"text": ["heavier", "lighter"], "label": ["A", "B"]}, "answerKey": "A",
                            "para": "Bigger objects weigh more.", "para_id": "p", "para_anno": {},
                            "question_anno": {}},
    "social_i_qa": lambda i, y: {"context": f"Jo helped {i} friends.", "question": "How did Jo feel?",
                                 "answerA": "happy", "answerB": "angry", "answerC": "bored", "label": "1"},
    "sst2": lambda i, y: {"idx": i, "sentence": f"a film with {i} good moments", "label": y},
    "wic": lambda i, y: {"word": "bank", "sentence1": f"The bank {i} opened.", "sentence2": "The river bank.",
                         "start1": 4, "start2": 10, "end1": 8, "end2": 14, "idx": i, "label": y},
    "twitter-sentiment": lambda i, y: {"text": f"loving day {i}", "feeling": y},
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


def fake_loader(task, n_rows=80):
    "A stand-in for datasets.load_dataset that serves `n_rows` raw rows (alternating labels) for any split"
    def load(path, name=None, split=None, **kwargs):
        spec = HUB_TASKS[task]
        assert (path, name) == (spec.path, spec.name), (path, name)
        assert split in (spec.train_split, spec.test_split), split
        assert "trust_remote_code" not in kwargs            # never asked for unless the caller says so
        return datasets.Dataset.from_list([RAW_ROWS[task](i, i % 2) for i in range(n_rows)])
    return load


SIZES = SplitSizes(weak_train=10, strong_train=10, val=6, test=10)


def test_every_hub_task_has_a_fake_row():
    assert sorted(RAW_ROWS) == sorted(HUB_TASKS)


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
