"""Rasa training-data importer that adds the life-situation corpus to the NLU data.

The corpus (`data/life_situations/*.yml`, one home, reviewed as plain YAML) goes to the NeedClassifier
whole, and its crisis and near-crisis messages also teach the intent classifier (`crisis`,
`search_services`). Through the importer the corpus is part of the training data's fingerprint, so a
changed corpus retrains the components that read it. (All 1,300 messages as intent examples made DIET's
character n-gram vocabulary so large that training took over 20 minutes on 2 cores.)
"""

from pathlib import Path
from typing import Any, Dict, List

from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.finnish.needs import load_corpus
from bot.settings import PROJECT_DIR

NEED_CORPUS = "need_corpus"
CORPUS_GLOB = "data/life_situations/*.yml"
# Taught to the intent classifier too: crises, and the near-crisis needs that must not look like one
INTENT_KINDS = {"crisis": "crisis", "near_crisis": "search_services"}


def corpus_items(pattern: str = CORPUS_GLOB) -> List[Dict[str, Any]]:
    paths = [Path(pattern)] if Path(pattern).is_absolute() else sorted(PROJECT_DIR.glob(pattern))
    return [{"text": str(item["text"]), "theme": item.get("theme"), "target_group": item.get("target_group"),
             "kind": item.get("kind")} for path in paths for item in load_corpus(path)]


def corpus_messages(pattern: str = CORPUS_GLOB) -> List[Message]:
    """One message that carries the whole corpus (attribute ``need_corpus``, no text: the featurizers
    and DIET pass it by, while its content is part of the training data's fingerprint), plus the
    crisis and near-crisis examples as ordinary intent examples."""
    items = corpus_items(pattern)
    examples = [Message(data={TEXT: item["text"], INTENT: INTENT_KINDS[item["kind"]]})
                for item in items if item["kind"] in INTENT_KINDS]
    return [Message(data={NEED_CORPUS: items}), *examples]


class LifeSituationImporter(RasaFileImporter):
    def __init__(self, config_file: str | None = None, domain_path: str | None = None,
                 training_data_paths: List[str] | str | None = None, corpus: str = CORPUS_GLOB) -> None:
        super().__init__(config_file, domain_path, training_data_paths)
        self.corpus = corpus

    def get_nlu_data(self, language: str | None = "en") -> TrainingData:
        data = super().get_nlu_data(language)
        return data.merge(TrainingData(training_examples=corpus_messages(self.corpus)))
