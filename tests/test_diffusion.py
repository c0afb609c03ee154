"""The diffusion engine on a tiny, randomly initialised Stable Diffusion pipeline.

No weights are downloaded: the pipeline (UNet, VAE, CLIP text encoder and a byte-level
tokenizer) is built from configs and saved into a tmp folder, so the tests exercise the
real diffusers loading and drawing code in a few seconds on a CPU. The pictures are
noise, which is all a random model can draw; what is checked is size, count, seeds,
settings, progress and errors.
"""

import json
import sys

import pytest

pytest.importorskip("torch")
pytest.importorskip("diffusers")
pytest.importorskip("transformers")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from seespeech.errors import ModelNotFoundError, OptionError  # noqa: E402
from seespeech.pictures import ImagineOptions, imagine, load_image_engine  # noqa: E402
from seespeech.pictures.diffusion import (  # noqa: E402
    EXTRA_HINT,
    TINY_VAE_ENV,
    DiffusionEngine,
)


# diffusers' Euler scheduler calls np.array on a torch tensor, which numpy 2 frowns on
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


def _bytes_to_unicode() -> dict[int, str]:
    """CLIP's (GPT-2's) byte → printable character table, the base of its BPE vocab."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return dict(zip(printable, map(chr, chars)))


def _write_tokenizer(folder) -> None:
    """A tiny CLIP BPE vocabulary: every byte, every byte ending a word, a few merges."""
    folder.mkdir()
    symbols = list(_bytes_to_unicode().values())
    vocab = {s: i for i, s in enumerate(symbols + [s + "</w>" for s in symbols])}
    merges = ["c a", "ca t</w>", "h i", "hi l", "hil l</w>"]
    for merge in merges:
        vocab.setdefault(merge.replace(" ", ""), len(vocab))
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n")


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """Tiny models gain nothing from two threads, and two threads stall badly (seconds per
    step) when another process is busy on the same 2 cores; one thread is steady."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory):
    """A tiny Stable Diffusion pipeline folder, as save_pretrained writes one."""
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    root = tmp_path_factory.mktemp("diffusion")
    _write_tokenizer(root / "tok")
    tokenizer = CLIPTokenizer.from_pretrained(root / "tok", model_max_length=77)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=1,
        sample_size=32,  # × the VAE's 1/2 scale: 64-pixel pictures by default
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
    )
    vae = AutoencoderKL(
        block_out_channels=[32, 64],
        in_channels=3,
        out_channels=3,
        down_block_types=["DownEncoderBlock2D", "DownEncoderBlock2D"],
        up_block_types=["UpDecoderBlock2D", "UpDecoderBlock2D"],
        latent_channels=4,
    )
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            hidden_size=32,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=2,
            vocab_size=len(tokenizer),
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
            max_position_embeddings=77,
        )
    )
    scheduler = EulerDiscreteScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", timestep_spacing="trailing", steps_offset=1
    )
    pipe = StableDiffusionPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    folder = root / "tiny-sd"
    pipe.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_vae_dir(tmp_path_factory):
    """A tiny AutoencoderTiny that reads the tiny pipeline's latents (4 channels, 1/2 scale)."""
    from diffusers import AutoencoderTiny

    torch.manual_seed(0)
    vae = AutoencoderTiny(
        encoder_block_out_channels=(16, 16),
        decoder_block_out_channels=(16, 16),
        num_encoder_blocks=(1, 1),
        num_decoder_blocks=(1, 1),
        latent_channels=4,
    )
    folder = tmp_path_factory.mktemp("taesd") / "tiny-taesd"
    vae.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def engine(pipeline_dir, tiny_vae_dir):
    return DiffusionEngine(str(pipeline_dir), tiny_vae_model=str(tiny_vae_dir))


def _pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))


def test_draws_count_pictures_with_plans_and_progress(engine, pipeline_dir):
    calls = []
    options = ImagineOptions(seed=7, width=64, height=80, count=2, steps=3, guidance=2.0, negative_prompt="blur")
    result = engine.generate("a cat on a hill", options, progress=lambda done, total: calls.append((done, total)))

    assert result.engine == "diffusion" and result.model == str(pipeline_dir) and result.credits == []
    assert len(result.images) == 2
    assert all(isinstance(im, Image.Image) and im.size == (64, 80) for im in result.images)
    assert [p["seed"] for p in result.plans] == [7, 8]
    for plan in result.plans:
        assert plan == {
            "engine": "diffusion", "model": str(pipeline_dir), "seed": plan["seed"], "steps": 3,
            "guidance": 2.0, "width": 64, "height": 80, "prompt": "a cat on a hill", "negative_prompt": "blur",
        }
    # one call per step across both pictures, ending on (total, total)
    assert calls == [(done, 6) for done in range(1, 7)]


def test_model_defaults_fill_unset_options(engine, pipeline_dir, tmp_path):
    # an ordinary model: 25 steps, guidance 7.5, the pipeline's own size (32 latents × 2)
    assert engine.settings(ImagineOptions()) == {"steps": 25, "guidance": 7.5, "width": 64, "height": 64}
    assert engine.settings(ImagineOptions(width=96))["height"] == 64

    # a turbo model (by name, as sd-turbo and its copies are): 1 step, no guidance, 512×512
    turbo_dir = tmp_path / "my-sd-turbo"
    turbo_dir.symlink_to(pipeline_dir, target_is_directory=True)
    turbo = DiffusionEngine(str(turbo_dir))
    assert turbo.settings(ImagineOptions()) == {"steps": 1, "guidance": 0.0, "width": 512, "height": 512}
    assert turbo.settings(ImagineOptions(steps=4))["steps"] == 4
    with pytest.raises(OptionError, match="1 to 4 steps"):
        turbo.settings(ImagineOptions(steps=5))
    result = turbo.generate("a cat", ImagineOptions(width=64, height=64))
    assert result.plans[0]["steps"] == 1 and result.plans[0]["guidance"] == 0.0


def test_seeds_make_pictures_reproducible(engine):
    def draw(seed, count=1):
        return engine.generate("a cat", ImagineOptions(seed=seed, width=64, height=64, count=count, steps=2)).images

    first, again, other = draw(11)[0], draw(11)[0], draw(12)[0]
    assert np.array_equal(_pixels(first), _pixels(again))
    assert not np.array_equal(_pixels(first), _pixels(other))
    # picture i of a batch is seed + i drawn alone
    batch = draw(11, count=2)
    assert np.array_equal(_pixels(batch[0]), _pixels(first))
    assert np.array_equal(_pixels(batch[1]), _pixels(other))


def test_threads_share_one_engine_safely(engine):
    """A server draws for several requests at once; the engine takes them one at a time."""
    import threading

    def draw(seed):
        return engine.generate("a cat", ImagineOptions(seed=seed, width=64, height=64, steps=2)).images[0]

    alone = {seed: _pixels(draw(seed)) for seed in (21, 22)}
    together = {}
    threads = [threading.Thread(target=lambda s=s: together.update({s: _pixels(draw(s))})) for s in (21, 22)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert set(together) == {21, 22}
    assert all(np.array_equal(together[s], alone[s]) for s in (21, 22))


def test_imagine_loads_the_engine_once(pipeline_dir):
    folder = str(pipeline_dir)
    result = imagine("a cat on a hill", engine="diffusion", model=folder, width=64, height=64, steps=1, seed=3)
    assert result.engine == "diffusion" and len(result.images) == 1
    assert result.images[0].size == (64, 64)
    assert load_image_engine("diffusion", folder) is load_image_engine("diffusion", folder)


def test_tiny_vae_swaps_in_and_out(engine, tiny_vae_dir):
    options = dict(seed=4, width=64, height=72, steps=2)
    full = engine.generate("a cat", ImagineOptions(**options)).images[0]
    tiny = engine.generate("a cat", ImagineOptions(**options, tiny_vae=True))
    assert tiny.images[0].size == (64, 72)
    assert tiny.plans[0]["tiny_vae"] == str(tiny_vae_dir)
    assert not np.array_equal(_pixels(tiny.images[0]), _pixels(full))  # another decoder drew it
    # the full VAE is back for the next call without --tiny-vae
    again = engine.generate("a cat", ImagineOptions(**options)).images[0]
    assert np.array_equal(_pixels(again), _pixels(full))


def test_tiny_vae_from_the_environment(pipeline_dir, tiny_vae_dir, monkeypatch, tmp_path):
    monkeypatch.setenv(TINY_VAE_ENV, str(tiny_vae_dir))
    engine = DiffusionEngine(str(pipeline_dir))
    result = engine.generate("a cat", ImagineOptions(width=64, height=64, steps=1, tiny_vae=True))
    assert result.plans[0]["tiny_vae"] == str(tiny_vae_dir)

    monkeypatch.setenv(TINY_VAE_ENV, str(tmp_path / "no-such-taesd"))
    with pytest.raises(ModelNotFoundError, match="no such tiny VAE folder"):
        DiffusionEngine(str(pipeline_dir)).generate("a cat", ImagineOptions(width=64, height=64, tiny_vae=True))


def test_sides_must_be_multiples_of_8(engine):
    with pytest.raises(OptionError, match="multiple of 8"):
        engine.generate("a cat", ImagineOptions(width=68, height=64))
    with pytest.raises(OptionError, match="height must be a multiple of 8"):
        engine.settings(ImagineOptions(width=64, height=100))


def test_missing_models_say_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("SEESPEECH_OFFLINE", "1")
    with pytest.raises(ModelNotFoundError) as err:
        DiffusionEngine("seespeech-tests/no-such-diffusion-model")
    message = str(err.value)
    assert "\n" not in message
    assert "offline" in message and "--engine compose" in message and "--image-model DIR" in message
    assert "no text-to-image weights ship in any package registry" in message

    with pytest.raises(ModelNotFoundError, match="no such model folder"):
        DiffusionEngine("./no/such/dir")
    with pytest.raises(ModelNotFoundError, match="not a diffusers pipeline"):
        DiffusionEngine(str(tmp_path))  # a folder, but no model_index.json
    (tmp_path / "model_index.json").write_text(json.dumps({"_class_name": "NoSuchPipeline"}))
    with pytest.raises(ModelNotFoundError, match="could not load the diffusers pipeline"):
        DiffusionEngine(str(tmp_path))


def test_missing_tiny_vae_says_what_to_do(pipeline_dir, monkeypatch):
    monkeypatch.setenv("SEESPEECH_OFFLINE", "1")
    monkeypatch.delenv(TINY_VAE_ENV, raising=False)
    engine = DiffusionEngine(str(pipeline_dir))
    with pytest.raises(ModelNotFoundError) as err:
        engine.generate("a cat", ImagineOptions(width=64, height=64, steps=1, tiny_vae=True))
    assert "madebyollin/taesd" in str(err.value) and TINY_VAE_ENV in str(err.value)
    # the engine still draws with its own VAE
    assert engine.generate("a cat", ImagineOptions(width=64, height=64, steps=1)).images[0].size == (64, 64)


def test_missing_extra_says_how_to_install(monkeypatch):
    # an import of a module set to None in sys.modules fails as if it were not installed
    monkeypatch.setitem(sys.modules, "diffusers", None)
    with pytest.raises(ModelNotFoundError) as err:
        imagine("a cat", engine="diffusion", model="stabilityai/sd-turbo")
    assert str(err.value) == EXTRA_HINT
    assert "pip install 'seespeech[diffusion]'" in EXTRA_HINT
