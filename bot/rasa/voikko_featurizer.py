"""Sparse features from Voikko: lemmas, compound parts and Finnish concepts of each token.

"kuntosaliohjausta" becomes lemma:kuntosaliohjaus, part:kunto, part:sali, part:ohjaus and
concept:theme (a theme word), so a compound never seen in training still shares features with
its parts; "Raumalla" becomes concept:municipality, so the classifier learns "a place was named"
instead of memorising 309 names. Sequence features per token; the sentence feature is their sum.
"""

from typing import Any, Dict, List

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import dump_obj_as_json_to_file, read_json_file

from bot.finnish.features import token_features

VOCABULARY_FILE = "voikko_vocabulary.json"
MAX_TOKENS = 400


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class VoikkoFeaturizer(SparseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**SparseFeaturizer.get_default_config()}

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        """No options of its own beyond the featurizer alias."""

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext,
                 vocabulary: Dict[str, int] | None = None) -> None:
        super().__init__(execution_context.node_name, config)
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary: Dict[str, int] = vocabulary or {}

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "VoikkoFeaturizer":
        return cls(config, model_storage, resource, execution_context)

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "VoikkoFeaturizer":
        try:
            with model_storage.read_from(resource) as path:
                vocabulary = read_json_file(path / VOCABULARY_FILE)
        except (ValueError, FileNotFoundError):
            vocabulary = {}
        return cls(config, model_storage, resource, execution_context, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        names: Dict[str, int] = {}
        for message in training_data.training_examples:
            for token in (message.get(TOKENS_NAMES[TEXT]) or [])[:MAX_TOKENS]:
                for name in token_features(token.text):
                    names.setdefault(name, len(names))
        self.vocabulary = names
        with self._model_storage.write_to(self._resource) as path:
            dump_obj_as_json_to_file(path / VOCABULARY_FILE, self.vocabulary)
        return self._resource

    def _featurize(self, message: Message) -> None:
        tokens = message.get(TOKENS_NAMES[TEXT])
        if not tokens or not self.vocabulary:
            return
        rows, cols = [], []
        for row, token in enumerate(tokens):
            if row >= MAX_TOKENS:
                break
            for name in token_features(token.text):
                index = self.vocabulary.get(name)
                if index is not None:
                    rows.append(row)
                    cols.append(index)
        shape = (len(tokens), len(self.vocabulary))
        data = np.ones(len(rows), dtype=np.float32)
        sequence = scipy.sparse.coo_matrix((data, (rows, cols)), shape=shape)
        sentence = scipy.sparse.coo_matrix(sequence.sum(axis=0).clip(0, 1))
        self.add_features_to_message(sequence=sequence, sentence=sentence, attribute=TEXT,
                                     message=message)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._featurize(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
