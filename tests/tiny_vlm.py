"""A tiny, randomly initialised SmolVLM2-architecture model folder, built offline.

Shared by the vlm engine tests and the compare tests (CLI and server). No weights are
downloaded: the model is built from a config with tiny sizes, and its processor files are
written beside it, laid out as the hub's SmolVLM2 folders are.
"""

import json
from pathlib import Path

import torch

# SmolVLM2's chat template (as in its chat_template.json), images and text only
CHAT_TEMPLATE = (
    "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}"
    "{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}"
    "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}"
    "{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}<end_of_utterance>\n"
    "{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}"
)
# the special tokens SmolVLM's processor and model use: image placeholders, the tile
# markers for up to 6×6 tiles, turn ends
SPECIALS = [
    "<|im_start|>", "<end_of_utterance>", "<image>", "<fake_token_around_image>", "<global-img>", "<video>",
    "<|endoftext|>", *(f"<row_{r}_col_{c}>" for r in range(1, 7) for c in range(1, 7)),
]
WORDS = "User Assistant the a of and to in is was it he she you read speech words this that spoken".split()



def build(folder: Path) -> Path:
    """Write the tiny model into ``folder`` and return it."""
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers
    from transformers import AutoModelForImageTextToText, PreTrainedTokenizerFast, SmolVLMConfig
    from transformers.models.smolvlm.image_processing_pil_smolvlm import SmolVLMImageProcessorPil

    characters = list("abcdefghijklmnopqrstuvwxyz.,!?'\":\n")
    vocab = {token: i for i, token in enumerate(dict.fromkeys(["<unk>", *SPECIALS, *WORDS, *characters]))}
    backend = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.Split(Regex(r"\w+|[^\w\s]|\n"), behavior="isolated")
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend, unk_token="<unk>", bos_token="<|im_start|>", eos_token="<end_of_utterance>",
        pad_token="<|endoftext|>", additional_special_tokens=SPECIALS,
    )
    # pictures become a 64-pixel-wide thumbnail cut into 32-pixel tiles, 4 tokens per tile
    image_processor = SmolVLMImageProcessorPil(size={"longest_edge": 64}, max_image_size={"longest_edge": 32})
    config = SmolVLMConfig(
        vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                           image_size=32, patch_size=8),
        text_config=dict(model_type="llama", hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=2, vocab_size=len(vocab),
                         max_position_embeddings=512, bos_token_id=vocab["<|im_start|>"],
                         eos_token_id=vocab["<end_of_utterance>"], pad_token_id=vocab["<|endoftext|>"]),
        scale_factor=2, image_token_id=vocab["<image>"],
    )
    torch.manual_seed(0)
    model = AutoModelForImageTextToText.from_config(config)
    model.generation_config.eos_token_id = vocab["<end_of_utterance>"]
    model.generation_config.pad_token_id = vocab["<|endoftext|>"]
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    image_processor.save_pretrained(folder)
    # SmolVLMProcessor itself cannot be built without torchvision (its video processor), so
    # its two files are written as the hub's SmolVLM2 folders have them
    (folder / "processor_config.json").write_text(
        json.dumps({"processor_class": "SmolVLMProcessor", "image_seq_len": 4})
    )
    (folder / "chat_template.jinja").write_text(CHAT_TEMPLATE)
    return folder
