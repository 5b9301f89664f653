"""The check-worthiness core (plain Python): sentences and their offsets, features, scoring, training, the measures.

The CheckThat! debates are read from ../shared/data when they are there (never copied into the repository); the
tests that need them skip otherwise.
"""

import json
import time
from pathlib import Path

import pytest

from checkworthiness import debates, scorer, sentences, training
from checkworthiness.features import features, tokens

DEBATES = Path(__file__).resolve().parents[2] / "shared" / "data" / "check-worthiness" / "debates"


# --- Sentences -------------------------------------------------------------------------------------------------------


def spans(text):
    return [(s.start, s.end, s.text) for s in sentences.split(text)]


def test_sentences_are_code_point_spans_of_the_text_itself():
    text = "  Mr. Smith said 3.5% of U.S. jobs went.  Really?! “Yes.” He left at 5 p.m. today.\nNo stop here  "
    found = sentences.split(text)
    assert [s.text for s in found] == [
        "Mr. Smith said 3.5% of U.S. jobs went.",
        "Really?!",
        "“Yes.”",
        "He left at 5 p.m. today.",
        "No stop here",
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_emoji_and_combining_characters_count_as_python_does():
    # 👍🏽 is two code points (four UTF-16 units), "é" here is e + U+0301: offsets are Python indices either way.
    text = "Prices rose 👍🏽 by 9%. Cafe\u0301 owners paid 10\u00a0€. Family 👨‍👩‍👧 trips fell."
    found = sentences.split(text)
    assert [s.text for s in found] == [
        "Prices rose 👍🏽 by 9%.",
        "Cafe\u0301 owners paid 10\u00a0€.",
        "Family 👨‍👩‍👧 trips fell.",
    ]
    assert all(text[s.start : s.end] == s.text for s in found)
    assert found[1].start == len("Prices rose 👍🏽 by 9%. ") and found[1].end - found[1].start == 23


def test_run_on_sentences_of_extracted_pages_are_split_but_not_abbreviations():
    text = "Putin underscored.The interest is growing.Exports in the U.S.A rose, e.g.The mean. See example.com today."
    assert [s.text for s in sentences.split(text)] == [
        "Putin underscored.",
        "The interest is growing.",
        "Exports in the U.S.A rose, e.g.The mean.",
        "See example.com today.",
    ]


def test_line_breaks_end_sentences_and_blank_text_has_none():
    assert spans("Headline without a stop\nBody. More") == [
        (0, 23, "Headline without a stop"),
        (24, 29, "Body."),
        (30, 34, "More"),
    ]
    assert sentences.split("") == [] and sentences.split(" \n\n ") == []


def test_a_sentence_without_stops_is_cut_at_a_space_below_the_limit():
    text = "word " * 1000
    found = sentences.split(text)
    assert all(s.end - s.start <= sentences.MAX_SENTENCE for s in found) and len(found) >= 3
    assert all(text[s.start : s.end] == s.text and not s.text.startswith(" ") for s in found)


# --- Features and scores ---------------------------------------------------------------------------------------------


def test_features_see_the_signs_of_a_checkable_fact():
    fact = features("Unemployment fell to 4.1 percent in 2019, the lowest since Nixon, and we cut $5 billion.")
    for name in ("f:number", "f:percent", "f:year", "f:money", "f:scale", "f:comparative", "f:capitals", "f:we"):
        assert name in fact, name
    chat = features("Thank you, what do you think?")
    assert {"f:courtesy", "f:question", "f:hedge"} <= set(chat) and "f:number" not in chat
    assert tokens("It’s 23,000 — 12%") == ["it's", "<num>", "<num>", "%"]


def test_the_default_model_is_small_and_ranks_a_statistic_above_small_talk():
    assert scorer.DEFAULT_MODEL_PATH.stat().st_size < 5_000
    model = scorer.load_default()
    assert model.about["licence"] == "free for general research use"
    text = "Thank you all. Unemployment fell to 4.1 percent in 2019, the lowest in 50 years. What do you think?"
    ranked = scorer.rank(model, text)
    assert ranked[0].text.startswith("Unemployment") and len(ranked) == 3
    assert ranked == scorer.rank(model, text)  # deterministic
    assert all(0 < s.score < 1 for s in ranked) and ranked[0].score > ranked[1].score >= ranked[2].score


def test_scoring_takes_well_under_a_millisecond_a_sentence():
    model = scorer.load_default()
    text = " ".join(
        f"In {2000 + i % 20} the deficit rose by {i} percent, said Senator Smith of Ohio." for i in range(2000)
    )
    scorer.rank(model, text[:1000])
    started = time.perf_counter()
    ranked = scorer.rank(model, text)
    per_sentence = (time.perf_counter() - started) / len(ranked)
    assert len(ranked) == 2000 and per_sentence < 0.001


def test_models_round_trip_through_json_and_bad_ones_are_refused():
    model = scorer.Model({"f:number": 1.25, "w:deficit": -0.5}, -2.0, {"positives": 3})
    again = scorer.Model.from_json(json.loads(json.dumps(model.to_json())))
    assert again == model
    for bad in ({}, {"format": 99, "weights": {}}, {"format": 1, "weights": {"x": "1"}}, {"format": 1}, []):
        with pytest.raises(ValueError):
            scorer.Model.from_json(bad)


# --- Training --------------------------------------------------------------------------------------------------------

FACTS = [f"Spending rose {n} percent to ${n} billion in {1990 + n}." for n in range(1, 30)]
TALK = [f"Thank you, {name}, that is a fair question." for name in ("Anna", "Bob", "Cy", "Dee")] * 20


def test_training_on_tiny_synthetic_data_learns_the_numbers_and_is_deterministic():
    examples = [(t, 1) for t in FACTS] + [(t, 0) for t in TALK]
    model = training.train_default(examples)
    assert model == training.train_default(examples)
    assert model.weights["f:number"] > 0 > model.weights["f:courtesy"]
    assert model.score("Taxes rose 3 percent in 2004.") > model.score("Thank you, Ed, good question.")
    assert model.about == {"positives": 29, "negatives": 80, "l2": 10.0}
    with pytest.raises(ValueError, match="both labels"):
        training.train_default([(t, 0) for t in TALK])


def test_training_on_top_moves_what_the_desk_decided_and_keeps_the_rest():
    prior = scorer.load_default()
    dismissed = [f"Our stadium seats {n} thousand fans, the biggest in the league." for n in range(10, 40)]
    claimed = [f"The mayor said crime in the harbour district doubled, as police reports show {n}." for n in range(8)]
    examples = [(t, 0) for t in dismissed] + [(t, 1) for t in claimed]
    adjusted = training.train_on_top(prior, examples)
    assert adjusted == training.train_on_top(prior, examples)
    assert adjusted.bias == prior.bias and set(prior.weights) <= set(adjusted.weights)
    assert adjusted.weights["w:stadium"] < 0 < adjusted.weights["w:harbour"]
    stadium, harbour = "The stadium seats 60 thousand fans, the biggest.", "Crime in the harbour district doubled."
    assert adjusted.score(stadium) < prior.score(stadium) and adjusted.score(harbour) > prior.score(harbour)
    # Words and features the decisions lack keep the default's weights (the "f:" ones are pulled back strongly).
    unrelated = "Grain exports dropped by twelve percent last year."
    assert abs(adjusted.score(unrelated) - prior.score(unrelated)) < 0.02
    # Only dismissals, or nothing: still a model (the prior moved down, or unchanged).
    assert training.train_on_top(prior, [(t, 0) for t in dismissed]).score(stadium) < prior.score(stadium)
    assert training.train_on_top(prior, []) == scorer.Model(prior.weights, prior.bias, adjusted.about | {
        "positives": 0, "negatives": 0})  # fmt: skip


def test_sentence_labels_claimed_overlap_wins_and_undecided_sentences_are_left_out():
    text = "One 1. Two 2. Three 3. Four 4."
    one, two, three, _four = sentences.split(text)
    labels = training.sentence_labels(
        text, claimed=[(one.start + 1, two.start + 2)], dismissed=[(two.start, two.end), (three.start, three.end)]
    )
    assert [(s.text, label) for s, label in labels] == [("One 1.", 1), ("Two 2.", 1), ("Three 3.", 0)]


# --- The measures and the debates ------------------------------------------------------------------------------------


def test_average_precision_and_precision_at_10():
    assert debates.average_precision([0, 1, 0, 1]) == pytest.approx((1 / 2 + 2 / 4) / 2)
    assert debates.average_precision([0, 0]) == 0.0
    assert debates.precision_at([1, 0, 1] + [0] * 20) == 0.2
    rows = {"a": [("x", 0), ("y", 1)], "b": [("z", 0)]}
    assert debates.evaluate(rows, lambda t: t == "y") == {"map": 1.0, "p@10": 0.1, "transcripts": 1}


def test_transcripts_are_read_as_checkthat_lays_them_out(tmp_path):
    (tmp_path / "a.tsv").write_text('1\tMOD\tHello "all".\t0\n2\tX\tTaxes rose 9%.\t1\n\n', encoding="utf-8")
    assert debates.read_debates(tmp_path) == {"a.tsv": [('Hello "all".', 0), ("Taxes rose 9%.", 1)]}
    assert debates.held_out([f"{i:02}.tsv" for i in range(10)]) == ["04.tsv", "09.tsv"]
    with pytest.raises(ValueError, match="no CheckThat"):
        debates.read_debates(tmp_path / "missing")


@pytest.mark.skipif(not DEBATES.is_dir(), reason="the CheckThat! debates are not in ../shared/data")
def test_on_held_out_debates_the_scorer_beats_random_order_fivefold():
    transcripts = debates.read_debates(DEBATES)
    held = debates.held_out(transcripts)
    model = training.train_default([row for name, rows in transcripts.items() if name not in held for row in rows])
    test = {name: transcripts[name] for name in held}
    found, floor = debates.evaluate(test, model.score), debates.random_order()(test)
    assert found["map"] >= 0.10 and found["map"] > 5 * floor["map"]
