"""Request phrasing and fillers are dropped; scene words stay."""

import pytest

from seespeech.pictures.prompt import prompt_from_text


@pytest.mark.parametrize("said, prompt", [
    ("Um, could you draw me a picture of a red bird on a branch, please?", "A red bird on a branch"),
    ("I would like a picture of two cats under a table at night.", "Two cats under a table at night"),
    ("Okay so, uh, I want to see an image of a snowman in front of a house.", "A snowman in front of a house"),
    ("Please make a drawing of a boat on the sea. Thanks!", "A boat on the sea"),
    ("Can you show me a castle on a mountain?", "A castle on a mountain"),
    ("Imagine a rocket in space.", "A rocket in space"),
    ("Hmm, let me see, a cat on a chair I guess", "A cat on a chair"),
    ("a picture of a horse", "a horse"),
    # scene words that look like request words stay
    ("A man is showing his dog to a friend", "A man is showing his dog to a friend"),
    ("There is a red bird sitting on a branch next to a small house, and the sun is shining.",
     "There is a red bird sitting on a branch next to a small house, and the sun is shining"),
    # nothing but a request: keep what was said rather than draw nothing
    ("Draw.", "Draw."),
])
def test_prompt_from_speech(said, prompt):
    assert prompt_from_text(said) == prompt
