"""Our own CTC model: text rules, decoding, data readers, training, the shipped model."""

import json
import math
import shutil

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import seespeech  # noqa: E402
from conftest import SPEECH_MISSING, SPEECH, run_cli  # noqa: E402
if SPEECH_MISSING:   # its module-level clips come from ../shared/speech
    pytest.skip(SPEECH_MISSING, allow_module_level=True)

from seespeech.speech.ctc import ALPHABET, BLANK, encode_text, normalise_text  # noqa: E402
from seespeech.speech.ctc.data import read_source  # noqa: E402
from seespeech.speech.ctc.decode import (  # noqa: E402
    WordLM, beam_search, correct_unknown_words, ctc_align, ctc_score, greedy, lm_beam_search, to_text, words)
from seespeech.speech.ctc.frontends import perturbed_copy  # noqa: E402
from seespeech.speech.ctc.lm import EOS, MixedLM, NgramLM  # noqa: E402
from seespeech.speech.ctc.train import TrainOptions, train  # noqa: E402
from seespeech.errors import ModelNotFoundError, OptionError  # noqa: E402
from seespeech.speech.evaluate import read_dataset, score  # noqa: E402

CATHY_TRAIN = read_dataset(SPEECH / "cathy_train")
CATHY_DEV = read_dataset(SPEECH / "cathy_dev")


@pytest.mark.parametrize("text, expected", [
    ("Author of the danger trail, Philip Steels, etc.", "author of the danger trail philip steels etc"),
    ("It's 42 o'clock — 'quoted'!", "it's forty two o'clock quoted"),
    ("Café NAÏVE", "cafe naive"),
    ("It’s what I’ll ‘say’", "it's what i'll say"),
])
def test_text_is_normalised_to_the_alphabet(text, expected):
    assert normalise_text(text) == expected
    assert all(0 < i < len(ALPHABET) for i in encode_text(text))


def _log_probs(rows):
    """Rows of {label: probability}; the rest of each row is shared by the other labels."""
    out = np.full((len(rows), len(ALPHABET)), 1e-6)
    for t, row in enumerate(rows):
        for label, p in row.items():
            out[t, ALPHABET.index(label) if label != "<blank>" else BLANK] = p
    return np.log(out / out.sum(axis=1, keepdims=True))


def test_greedy_and_beam_agree_on_a_clear_path_and_time_the_words():
    rows = [{"c": .9}, {"c": .9}, {"<blank>": .9}, {"a": .9}, {"t": .9}, {" ": .9}, {"<blank>": .9},
            {"o": .9}, {"n": .9}]
    log_probs = _log_probs(rows)
    path = greedy(log_probs)
    assert to_text(path) == "cat on" == to_text(beam_search(log_probs, beam=8))
    found = words(path, log_probs, rate=50.0, offset=1.0)
    assert [(w.word, round(w.start, 3), round(w.end, 3)) for w in found] == [("cat", 1.0, 1.1), ("on", 1.14, 1.18)]
    assert all(0.8 < w.probability <= 1 for w in found)


def test_beam_search_sums_paths_that_greedy_cannot():
    # each frame: blank 0.6, "a" 0.4. Greedy reads "" (0.36); the paths that spell "a"
    # (a-, -a, aa) sum to 0.64, which only a prefix search sees
    log_probs = _log_probs([{"<blank>": .6, "a": .4}, {"<blank>": .6, "a": .4}])
    assert to_text(greedy(log_probs)) == ""
    assert to_text(beam_search(log_probs, beam=4)) == "a"


def test_repeated_letters_need_a_blank_between():
    log_probs = _log_probs([{"l": .9}, {"l": .9}, {"<blank>": .9}, {"l": .9}])
    assert to_text(greedy(log_probs)) == "ll" == to_text(beam_search(log_probs))


SENTENCES = ["the cat sat on the mat", "the dog sat on the log", "a cat ran to the dog", "the cat ran"]


def test_ngram_model_is_a_distribution_and_survives_a_round_trip(tmp_path):
    lm = NgramLM.build(SENTENCES, {"cat": 0.5, "hat": 0.5}, min_word_count=1, min_trigram_count=1)
    for history in [(), ("the",), ("the", "cat"), ("sat", "on"), ("zebra", "cat")]:
        total = sum(math.exp(lm.logp(w, history)) for w in lm.words if w != "<s>")
        assert total == pytest.approx(1.0, abs=2e-3), history
    assert lm.logp("sat", ("the", "cat")) > lm.logp("sat", ("a", "dog")) > lm.logp("zebra")
    assert lm.logp("hat") > lm.logp("zebra")  # frequency-list words exist even if the corpus lacks them
    lm.save(tmp_path / "lm.npz")
    again = NgramLM.load(tmp_path / "lm.npz")
    for word, history in [("mat", ("on", "the")), (EOS, ("the", "cat")), ("hat", ("dog",))]:
        assert again.logp(word, history) == pytest.approx(lm.logp(word, history), abs=2e-3)


def test_a_mixed_model_is_the_weighted_sum_of_its_parts():
    a = NgramLM.build(SENTENCES, min_word_count=1, min_trigram_count=1)
    b = NgramLM.build(["the zebra grazed quietly"] * 3, min_word_count=1, min_trigram_count=1)
    mixed = MixedLM([a, b], [3, 1])
    for word, history in [("sat", ("the", "cat")), ("grazed", ("the", "zebra")), ("mat", ())]:
        expected = 0.75 * math.exp(a.logp(word, history)) + 0.25 * math.exp(b.logp(word, history))
        assert math.exp(mixed.logp(word, history)) == pytest.approx(expected, rel=1e-6)
    assert "zebra" in mixed and "cat" in mixed and "zeb" in mixed.prefixes and "ca" in mixed.prefixes
    with pytest.raises(ValueError):
        MixedLM([a, b], [1, 0])


def test_the_word_model_picks_the_spelling_the_context_expects():
    # the acoustics say "the cat s?t", "a" and "i" equally likely
    rows = [{c: .9} if c != "?" else {"a": .45, "i": .45}
            for c in "the cat s?t".replace(" ", "_")]
    rows = [{" ": .9} if "_" in r else r for r in rows]
    spaced = []
    for r in rows:  # a blank between letters, so doubled letters stay apart
        spaced += [r, {"<blank>": .9}]
    log_probs = _log_probs(spaced)
    # "sit" is the commoner word here, so words scored alone read "sit"; the trigram model
    # knows that after "the cat" comes "sat"
    corpus = SENTENCES + ["sit down", "sit here", "sit still", "sit up", "please sit"]
    lm = NgramLM.build(corpus, min_word_count=1, min_trigram_count=1)
    assert to_text(lm_beam_search(log_probs, WordLM(lm, alpha=1.0, beta=2.0))) == "the cat sat"
    unigram = NgramLM.build([], {"the": 5, "cat": 3, "sat": 2, "sit": 5})
    assert to_text(lm_beam_search(log_probs, WordLM(unigram, alpha=1.0, beta=2.0, end=False))) == "the cat sit"


def test_ctc_score_is_the_ctc_likelihood_and_the_alignment_its_best_path():
    rng = np.random.default_rng(0)
    log_probs = torch.log_softmax(torch.tensor(rng.normal(size=(20, len(ALPHABET))) * 2), -1).numpy()
    for text in ["cat", "all", "a"]:
        labels = encode_text(text)
        expected = -torch.nn.functional.ctc_loss(torch.tensor(log_probs)[:, None], torch.tensor([labels]),
                                                 torch.tensor([20]), torch.tensor([len(labels)]), reduction="sum")
        assert ctc_score(log_probs, labels, log_probs[:, BLANK]) == pytest.approx(expected.item(), abs=1e-6)
    clear = _log_probs([{"<blank>": .9}, {"c": .9}, {"c": .9}, {"a": .9}, {"<blank>": .9}, {"t": .9}])
    assert ctc_align(clear, encode_text("cat"), clear[:, BLANK]) == [1, 3, 5]
    assert ctc_score(clear, encode_text("cattle"), clear[:, BLANK]) == -np.inf  # more letters than frames


def test_unknown_words_are_respelled_only_where_the_audio_allows():
    # "the cat s?t on the mat": the network barely heard the "a" of "sat" (below the beam
    # search's pruning), so the beam can only spell the unknown "st"
    rows = []
    for c in "the cat s?t on the mat":
        rows += [{" ": .9} if c == " " else {"<blank>": .9, "a": 2e-5} if c == "?" else {c: .9}, {"<blank>": .9}]
    log_probs = _log_probs(rows)
    lm = WordLM(NgramLM.build(SENTENCES, min_word_count=1, min_trigram_count=1), alpha=1.0, beta=2.0,
                prefix_penalty=-3.0)
    path = lm_beam_search(log_probs, lm, beam=8)
    assert to_text(path) == "the cat st on the mat"
    fixed = correct_unknown_words(path, log_probs, lm)
    assert to_text(fixed) == "the cat sat on the mat"
    before, after = words(path, log_probs, 50.0), words(fixed, log_probs, 50.0)
    assert after[2].start >= before[1].end and after[2].end <= before[3].start  # timed where "st" was
    assert [(w.start, w.end) for w in after if w.word != "sat"] == [(w.start, w.end) for w in before if w.word != "st"]
    # a clearly heard word nothing known resembles stays as heard
    rows = []
    for c in "the zx sat":
        rows += [{" ": .9} if c == " " else {c: .9}, {"<blank>": .9}]
    log_probs = _log_probs(rows)
    path = lm_beam_search(log_probs, lm, beam=8)
    assert to_text(correct_unknown_words(path, log_probs, lm)) == "the zx sat"


def test_readers_for_our_ljspeech_and_librispeech_layouts(tmp_path):
    clips = CATHY_TRAIN[:3]
    lj = tmp_path / "lj"
    (lj / "wavs").mkdir(parents=True)
    with open(lj / "metadata.csv", "w") as handle:
        for i, clip in enumerate(clips):
            shutil.copy(clip.path, lj / "wavs" / f"LJ001-{i:04d}.wav")
            handle.write(f"LJ001-{i:04d}|{clip.text}|{clip.text.upper()}\n")
    libri = tmp_path / "libri" / "84" / "121123"
    libri.mkdir(parents=True)
    (libri / "84-121123.trans.txt").write_text(
        "".join(f"84-121123-{i:04d} {c.text.upper()}\n" for i, c in enumerate(clips)))
    for i, clip in enumerate(clips):
        shutil.copy(clip.path, libri / f"84-121123-{i:04d}.flac")
    manifest = tmp_path / "list.tsv"
    manifest.write_text("file\ttext\n" + "".join(f"{c.path}\t{c.text}\n" for c in clips))
    for source in (SPEECH / "cathy_train", lj, tmp_path / "libri", manifest):
        items = read_source(source)
        assert len(items) >= 3 and all(normalise_text(i.text) for i in items)
    assert read_source(lj)[0].path == lj / "wavs" / "LJ001-0000.wav"
    assert read_source(lj)[0].text == clips[0].text.upper()  # LJSpeech's normalised column
    (tmp_path / "empty").mkdir()
    with pytest.raises(OptionError, match="no transcripts.tsv"):
        read_source(tmp_path / "empty")
    # a manifest's header row is a header whatever it calls its columns (and a language column is fine)
    for header in ("path\ttext", "audio\ttranscript\tlanguage", "file_name\tsentence"):
        (tmp_path / "headed.tsv").write_text(header + "\n" + "".join(f"{c.path}\t{c.text}\ten\n" for c in clips))
        assert [(i.path, i.text) for i in read_source(tmp_path / "headed.tsv")] == [(c.path, c.text) for c in clips]
    (tmp_path / "list.tsv").write_text(f"{clips[0].path}\t{clips[0].text}\nnot-there.flac\tsome words\n")
    with pytest.raises(OptionError, match="1 of 2 audio files are missing, e.g. .*not-there.flac"):
        read_source(tmp_path / "list.tsv")


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """A tiny model trained for a few epochs on a handful of clips (tiny.en's encoder)."""
    folder = tmp_path_factory.mktemp("ctc")
    options = TrainOptions(epochs=12, batch_size=4, lr=5e-3, rnn_units=48, rnn_layers=1, whisper_model="tiny.en",
                           seed=1)
    items = [seespeech.speech.ctc.data.Utterance(c.path, c.text) for c in CATHY_TRAIN[:12]]
    reports = train(items[:10], folder / "model", "whisper-encoder", options, val_items=items[10:],
                    cache=folder / "cache")
    return folder, options, items, reports


@pytest.mark.slow   # trains a network: make test-all (CI) runs it
def test_training_makes_the_loss_fall_and_writes_a_checkpoint(tiny_run):
    folder, _, _, reports = tiny_run
    losses = [r.loss for r in reports]
    assert len(reports) == 12 and losses[-1] < 0.7 * losses[0], losses
    config = json.loads((folder / "model" / "config.json").read_text())
    assert config["frontend"] == "whisper-encoder" and config["input_dim"] == 384
    info = json.loads((folder / "model" / "training.json").read_text())
    assert info["train_utterances"] == 10 and len(info["epochs"]) >= 1
    assert (folder / "model" / "last" / "state.pt").is_file()
    # each training file and its two perturbed copies were encoded (and cached); validation files once
    assert len(list((folder / "cache").rglob("*.npy"))) == 10 * 3 + 2


def test_perturbed_copies_are_other_speeds_and_the_same_every_time():
    audio = np.sin(np.arange(16000) / 8).astype(np.float32)
    slow, fast = perturbed_copy(audio, 1, "ab" * 12), perturbed_copy(audio, 2, "cd" * 12)
    assert abs(slow.size - 16000 / 0.9) < 2 and abs(fast.size - 16000 / 1.1) < 2
    assert np.array_equal(slow, perturbed_copy(audio, 1, "ab" * 12))
    assert not np.array_equal(slow[:100], np.interp(np.arange(100) * 0.9, np.arange(16000), audio))  # noise added


def test_features_are_cached_by_content_so_a_moved_file_finds_them(tmp_path):
    from seespeech.speech.ctc.frontends import cached_features, make_frontend

    frontend, cache = make_frontend("spectrogram"), tmp_path / "cache"
    first = cached_features(frontend, CATHY_DEV[0].path, cache)
    moved = tmp_path / "elsewhere" / "renamed.flac"
    moved.parent.mkdir()
    shutil.copy(CATHY_DEV[0].path, moved)  # a new path and a new modification time
    assert np.array_equal(cached_features(frontend, moved, cache), first)
    assert len(list(cache.rglob("*.npy"))) == 1
    cached_features(frontend, CATHY_DEV[1].path, cache)  # other audio: its own entry
    assert len(list(cache.rglob("*.npy"))) == 2


@pytest.mark.slow   # trains a network: make test-all (CI) runs it
def test_a_trained_folder_decodes_with_its_own_sentences(tiny_run):
    from seespeech.speech.engines.ctc import CTCEngine

    folder, _, items, _ = tiny_run
    sentences = (folder / "model" / "transcripts.txt").read_text().splitlines()
    assert sorted(sentences) == sorted({normalise_text(u.text) for u in items[:10]})
    # no lm.npz there: the engine builds a trigram model from English frequencies + these
    lm = CTCEngine(str(folder / "model"), decoder="lm").lm.model
    first, second, third = sentences[0].split()[:3]
    assert lm.logp(third, (first, second)) > lm.logp(third, ("of", "the")) + 2


@pytest.mark.slow   # trains a network: make test-all (CI) runs it
def test_training_is_deterministic_and_resumes_where_it_stopped(tiny_run, tmp_path):
    folder, options, items, reports = tiny_run
    from dataclasses import replace

    # stopped after 3 of 12 epochs (3 steps each), then resumed: the same losses as one run
    stopped = train(items[:10], tmp_path / "a", "whisper-encoder", replace(options, max_steps=9),
                    val_items=items[10:], cache=folder / "cache")
    assert [r.epoch for r in stopped] == [1, 2, 3]
    resumed = train(items[:10], tmp_path / "a", "whisper-encoder", options, val_items=items[10:],
                    cache=folder / "cache", resume=True)
    assert [r.epoch for r in resumed] == list(range(1, 13))
    assert [r.loss for r in stopped] == [r.loss for r in reports[:3]]  # deterministic for a seed
    # after the restart: the same run, up to float noise from reloaded optimizer state
    assert [r.loss for r in resumed] == pytest.approx([r.loss for r in reports], rel=2e-3)
    with pytest.raises(OptionError, match="no training state"):
        train(items[:2], tmp_path / "b", "whisper-encoder", options, resume=True, cache=folder / "cache")


@pytest.mark.slow   # trains a network: make test-all (CI) runs it
def test_fine_tuning_starts_from_the_given_model(tiny_run, tmp_path):
    folder, options, items, reports = tiny_run
    from dataclasses import replace

    # the init model's shape wins over the options' (48 units, not 192), and it starts where it ended
    tuned = train(items[:10], tmp_path / "tuned", "whisper-encoder",
                  replace(options, epochs=1, rnn_units=192, init=str(folder / "model")), val_items=items[10:],
                  cache=folder / "cache")
    assert tuned[0].loss < 0.5 * reports[0].loss, (tuned[0].loss, reports[0].loss)
    assert json.loads((tmp_path / "tuned" / "config.json").read_text())["rnn_units"] == 48
    # a model that reads other features is refused before any are computed, in one line
    wrong = run_cli("train-ctc", "--data", str(SPEECH / "cathy_dev"), "--out", str(tmp_path / "x"),
                    "--frontend", "spectrogram", "--init", "cathy")
    assert wrong.returncode == 2 and "--init cathy" in wrong.stderr.decode(), wrong.stderr  # 2: a bad option
    assert "Traceback" not in wrong.stderr.decode() and not (tmp_path / "x" / "config.json").exists()
    missing = run_cli("train-ctc", "--data", str(SPEECH / "cathy_dev"), "--out", str(tmp_path / "y"),
                      "--init", str(tmp_path / "nothing"))
    assert missing.returncode == 4 and "not found" in missing.stderr.decode(), missing.stderr


@pytest.mark.slow   # trains a network: make test-all (CI) runs it
def test_fine_tuning_keeps_the_starting_models_language_model(tiny_run, tmp_path):
    from dataclasses import replace

    from seespeech.speech.engines.ctc import CTCEngine

    folder, options, items, _ = tiny_run
    base = tmp_path / "base"
    shutil.copytree(folder / "model", base, ignore=shutil.ignore_patterns("last"))
    NgramLM.build(["the zebra grazed quietly"] * 3, min_word_count=1, min_trigram_count=1).save(base / "lm.npz")
    train(items[:10], tmp_path / "tuned", "whisper-encoder", replace(options, epochs=1, init=str(base)),
          val_items=items[10:], cache=folder / "cache")
    assert (tmp_path / "tuned" / "init-lm.npz").is_file() and not (tmp_path / "tuned" / "lm.npz").exists()
    lm = CTCEngine(str(tmp_path / "tuned"), decoder="lm").lm.model
    assert isinstance(lm, MixedLM)
    assert lm.logp("grazed", ("the", "zebra")) > math.log(0.2)  # the starting model's text
    first, second, third = (tmp_path / "tuned" / "transcripts.txt").read_text().splitlines()[0].split()[:3]
    assert lm.logp(third, (first, second)) > lm.logp(third, ("of", "the")) + 2  # and the new sentences


def test_the_spectrogram_front_end_trains_through_the_convolutions(tmp_path):
    items = [seespeech.speech.ctc.data.Utterance(c.path, c.text) for c in CATHY_TRAIN[:4]]
    reports = train(items[:3], tmp_path / "spec", "spectrogram",
                    TrainOptions(epochs=2, batch_size=3, rnn_units=16, rnn_layers=1), val_items=items[3:],
                    cache=tmp_path / "cache")
    assert len(reports) == 2 and all(math.isfinite(r.loss) for r in reports)
    model, config = seespeech.speech.ctc.model.load_checkpoint(tmp_path / "spec")
    assert config.conv and config.output_rate == pytest.approx(16000 / 112 / 2)


@pytest.mark.slow
def test_shipped_model_transcribes_cathy_dev_within_the_bound():
    clips = CATHY_DEV[:30]
    engine = seespeech.load_engine("ctc")
    texts = [engine.transcribe(c.path, seespeech.TranscribeOptions()).text for c in clips]
    result = score([c.text for c in clips], texts)
    # tiny.en gets about 4 %; the target is within 2× (docs/ctc.md has the full-set numbers)
    assert result.wer <= WER_BOUND, (result.wer, list(zip(texts, [c.text for c in clips]))[:5])


WER_BOUND = 0.18  # 12.6 % when measured (trigram lm decoder + respelling); 15.3 % on all 162


def test_engine_everywhere_an_engine_is_accepted(tmp_path):
    clip = CATHY_DEV[0]
    t = seespeech.transcribe(clip.path, engine="ctc", word_timestamps=True)
    assert t.model == "ctc:cathy" and t.language == "en" and t.segments
    all_words = [w for s in t.segments for w in s.words]
    assert all(a.start <= b.start for a, b in zip(all_words, all_words[1:]))
    assert all(0 <= w.start < w.end <= t.duration + 0.05 for w in all_words)
    with pytest.raises(OptionError, match="English only"):
        seespeech.transcribe(clip.path, engine="ctc", language="de")
    with pytest.raises(ModelNotFoundError, match="train-ctc"):
        seespeech.load_engine("ctc", str(tmp_path / "nothing"))
    cli = run_cli("transcribe", str(clip.path), "--engine", "ctc", "-f", "srt", "-o", str(tmp_path))
    assert cli.returncode == 0, cli.stderr
    assert "-->" in (tmp_path / f"{clip.path.stem}.srt").read_text()
    evaluated = run_cli("evaluate", str(SPEECH / "cathy_dev"), "--engine", "ctc", "--limit", "5", "--json")
    assert evaluated.returncode == 0 and json.loads(evaluated.stdout)[0]["model"] == "ctc:cathy"
    compared = run_cli("compare", str(clip.path), "--reference", clip.text, "--engines", "whisper,ctc", "--json")
    rows = {r["engine"]: r for r in json.loads(compared.stdout)["rows"]}
    assert rows["ctc"]["wer"] is not None and rows["ctc"]["seconds"] > 0


def test_cli_train_ctc_refuses_to_overwrite(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"x")
    result = run_cli("train-ctc", "--data", str(SPEECH / "cathy_dev"), "--out", str(tmp_path), "--epochs", "1")
    assert result.returncode == 2 and "--overwrite" in result.stderr.decode()


@pytest.mark.slow   # ~10 s: training itself stays in the default tier through the tiny_run fixture
def test_cli_train_ctc_trains_and_reports_progress_in_a_log(tmp_path):
    # a user's run with standard error going to a file (nohup, CI): rich's bars are hidden there,
    # so the features and the training steps are reported as plain lines, and every epoch's result
    clips = read_dataset(SPEECH / "cathy_dev")[:6]
    manifest = tmp_path / "train.tsv"
    manifest.write_text("".join(f"{c.path}\t{c.text}\n" for c in clips[:4]))
    (tmp_path / "val.tsv").write_text("".join(f"{c.path}\t{c.text}\n" for c in clips[4:]))
    result = run_cli("train-ctc", "--data", str(manifest), "--val", str(tmp_path / "val.tsv"), "--frontend",
                     "spectrogram", "--epochs", "2", "--units", "8", "--layers", "1", "--no-augment",
                     "--tune-decoder", "--out", str(tmp_path / "model"),
                     env={"SEESPEECH_CACHE": str(tmp_path / "cache")})
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert "features: 6/6 files" in err and "training: 2/2 steps" in err, err
    assert "epoch 1: loss" in err and "epoch 2: loss" in err, err
    assert "decoder weights: the defaults (tuning needs at least 10 validation clips" in err, err
    assert "best epoch" in result.stdout.decode()
    assert {"config.json", "model.safetensors", "training.json", "transcripts.txt"} <= {
        p.name for p in (tmp_path / "model").iterdir()}


def _asleep_clip():
    """ "asleep" with the network unsure whether a space follows the "a" (space and blank
    equally likely): the word model decides between "asleep" and "a sleep"."""
    rows = [{"a": .9}, {" ": .45, "<blank>": .45}]
    for c in "sleep":
        rows += [{c: .9}, {"<blank>": .9}]
    return _log_probs(rows)


def test_decoder_weights_are_tuned_on_validation_clips_and_kept_only_for_a_real_gain(tmp_path):
    from seespeech.speech.ctc.tune import DecoderWeights, tune_decoder

    # unigrams: "a sleep" costs alpha · (log P(a) + log P(sleep) − log P(asleep)) ≈ 0.9 · 3.9 and
    # earns one more word bonus (beta): with the default beta 5 the decoder splits the word
    unigram = NgramLM.build([], {"a": 0.1, "sleep": 0.1, "asleep": 0.5, "the": 0.3})
    defaults = DecoderWeights()
    lm = WordLM(unigram, **vars(defaults), end=False)
    clips = [_asleep_clip()] * 10
    assert to_text(lm_beam_search(clips[0], lm)) == "a sleep"
    report = tune_decoder(clips, ["asleep"] * 10, lm)
    assert report.adopted and report.default_wer == 2.0 and report.best_wer == 0.0
    assert report.weights.beta < defaults.beta and report.weights == report.best
    assert (lm.alpha, lm.beta) == (report.weights.alpha, report.weights.beta)  # left at the adopted weights
    assert to_text(lm_beam_search(clips[0], lm)) == "asleep"
    report.save(tmp_path)
    assert DecoderWeights.load(tmp_path) == report.weights
    saved = json.loads((tmp_path / "decoder.json").read_text())
    assert saved["adopted"] and saved["validation"]["clips"] == 10 and len(saved["tried"]) >= 3

    # where the defaults already read every clip right, nothing can beat them by the bar: kept
    clear = _log_probs([{"t": .9}, {"h": .9}, {"e": .9}])
    kept = tune_decoder([clear] * 10, ["the"] * 10, lm)
    assert not kept.adopted and kept.weights == DecoderWeights() == DecoderWeights.load(tmp_path / "none")
    assert "kept the defaults" in kept.summary() and "beta 1" in report.summary()
    (tmp_path / "decoder.json").write_text("{not json")
    with pytest.raises(ModelNotFoundError, match="decoder.json is not a decoder file"):
        DecoderWeights.load(tmp_path)


@pytest.mark.slow   # trains a network: make test-all (CI) runs it
def test_training_ends_by_tuning_the_decoder_for_its_validation_clips(tiny_run, tmp_path, monkeypatch):
    from dataclasses import replace

    from seespeech.speech.ctc import tune
    from seespeech.speech.engines.ctc import CTCEngine

    folder, options, items, _ = tiny_run
    # the real search over the tiny model's two validation clips, on a short grid to keep it quick
    monkeypatch.setattr(tune, "MIN_CLIPS", 2)
    monkeypatch.setattr(tune, "GRID", {"beta": (2.0, 5.0), "prefix_penalty": (-6.0, -12.0)})
    reports = []
    options = replace(options, epochs=1, init=str(folder / "model"), tune_decoder=True)
    train(items[:10], tmp_path / "t", "whisper-encoder", options, val_items=items[10:], cache=folder / "cache",
          on_tuned=reports.append)
    report = reports[0]
    assert report.clips == 2 and 2 <= len(report.tried) <= 4
    saved = json.loads((tmp_path / "t" / "decoder.json").read_text())
    assert saved["weights"] == vars(report.weights) and saved["validation"]["clips"] == 2
    engine = CTCEngine(str(tmp_path / "t"), decoder="lm")
    assert (engine.lm.beta, engine.lm.prefix_penalty) == (report.weights.beta, report.weights.prefix_penalty)
    # without enough validation clips the defaults stay, and no decoder.json is left behind
    monkeypatch.setattr(tune, "MIN_CLIPS", 3)
    train(items[:10], tmp_path / "t", "whisper-encoder", options, val_items=items[10:], cache=folder / "cache",
          on_tuned=reports.append)
    assert reports[1] is None and not (tmp_path / "t" / "decoder.json").exists()
