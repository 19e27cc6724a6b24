"""The rubric's cue patterns as features of the trained classifier: which strength of an item's cues matched.

The patterns live in question_bank/rubrics.yaml, grouped as strong / medium / weak. Here they decide nothing on
their own: a match becomes the feature "cue:<item>:<strength>" (for every item of the rubric, so the classifier
for one item also sees another item's evidence) and the learned weights say how much it counts. A cue right
after a negation in the same clause ("we never set up any monitoring") becomes "cue:<item>:<strength>_negated".
"""

from __future__ import annotations

import re

from app.scoring.rubrics import Rubric

# A negation shortly before a cue, in the same clause ("we never set up any monitoring", but not
# "failed for no reason and i was responsible for ...").
_NEGATION = re.compile(r"\b(not|never|no|without|nobody|nothing|none|neither|nor|\w+n't|hardly)\b"
                       r"(?:(?!\b(?:and|but|so|because|then|which|that|while)\b)[^.;,:]){0,24}$")


def cue_features(rubric: Rubric, norm: str) -> dict[str, float]:
    """The cue features of one normalised sentence (features.normalise) for every item of `rubric`: a flag per
    matched strength, and "cue:<item>:score", the matched strengths' nominal weights combined as a noisy OR
    (1 - prod(1 - w)), a prior the classifier can lean on where the training answers are few."""
    out: dict[str, float] = {}
    for item in rubric.items:
        miss = 1.0
        for cue in item.cues:
            name = f"cue:{item.id}:{cue.family}"
            if name in out:
                continue
            for m in cue.pattern.finditer(norm):
                if item.negatable and _NEGATION.search(norm[:m.start()]):
                    out.setdefault(f"{name}_negated", 1.0)
                    continue
                out[name] = 1.0
                miss *= 1.0 - cue.weight
                break
        if miss < 1.0:
            out[f"cue:{item.id}:score"] = round(1.0 - miss, 4)
    return out
