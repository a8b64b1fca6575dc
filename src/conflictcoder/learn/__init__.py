"""Learning from a user's own coded data: a sub-event-type model used together with the rules.

features.py  text -> n-gram features (one function for training and prediction)
classifier.py  the model file format (pickle-free .npz + JSON metadata), load/save, probabilities
train.py     read an ACLED export or a labels JSONL, fit with scikit-learn
combine.py   the rule that decides between the rules' sub-event type and the model's
"""

from conflictcoder.learn.classifier import SubEventModel, load_model
from conflictcoder.learn.combine import choose, retype

__all__ = ["SubEventModel", "choose", "load_model", "retype"]
