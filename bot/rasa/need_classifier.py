"""Needs behind life situations: a theme and a target group for a message that names neither.

"Laskut kasaantuu enkä saa nukuttua" has no theme word, but it is a need for income support. This
component learns themes and target groups from the life-situation corpus (added to the NLU data by
bot/rasa/life_situation_importer.py) and from the theme entities of the other NLU examples,
on Voikko features (bot/finnish/needs.py), with two logistic regressions (scikit-learn).

At run time a word-level theme or group (FinnishEntityExtractor) wins in a short request ("kuntosali
Raumalla"); in a message of `ask_min_words` content words or more the classifier may replace the
word's theme when it is sure of another (`override_min_words` or more), and when it finds the word's
theme unlikely (< `doubt_word_theme_below`) without being sure, the bot asks, offering both (thresholds
chosen by cross-validation on the training corpus: `python -m bench.needs_tune`). Without a theme word:
- the theme is added as an entity when the classifier is sure (probability >= `theme_threshold`
  and ahead of the second by `theme_margin`);
- when it is less sure, or two themes are close, nothing is added and the likeliest themes go to
  the parse data as ``need.ask_themes``, so the dialogue asks one short question with them as
  buttons instead of searching with a wrong theme;
- in a longer message a target group is added when its probability is >= `group_threshold` (a short
  request names its group in words or has none: "liikuntaa Porissa" is for everyone).
How sure the classifier was (``need``: themes and groups with probabilities) stays in the parse
data, so it is visible in the tracker. A message understood as a need but classified as small talk
or fallback becomes a search (``search_services``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.finnish.needs import NO_GROUP, features
from bot.finnish.query import content_words

MODEL_FILE = "needs.joblib"
NEED = "need"
NEED_CORPUS = "need_corpus"  # the corpus, from bot/rasa/life_situation_importer.py
# intents a need turns into a search: the classifier may call a life situation small talk
# NLU examples of these intents teach the theme model what is no need at all ("mikä on huomisen
# sääennuste", "kiitos"): its label NO_THEME
NOT_A_NEED = ("out_of_scope", "greet", "goodbye", "thank", "feedback", "help", "affirm", "deny", "ask_human",
              "more_results", "service_details", "filter_results")
NO_THEME = "-"
SEARCHING = ("search_services", "inform", "nlu_fallback")  # intents under which a need is never dropped
BECOMES_SEARCH = ("nlu_fallback", "out_of_scope", "greet", "help", "feedback", "thank", "search_services", "inform")
MAX_CHARS = 2000


def _pipeline(c: float) -> Pipeline:
    return Pipeline([("vectorize", DictVectorizer()), ("tfidf", TfidfTransformer(sublinear_tf=True)),
                     ("model", LogisticRegression(C=c, class_weight="balanced", max_iter=3000))])


def _bag(text: str) -> Dict[str, float]:
    bag: Dict[str, float] = {}
    for name in features(text[:MAX_CHARS]):
        bag[name] = bag.get(name, 0.0) + 1.0
    return bag


def training_examples(nlu: TrainingData) -> Tuple[List[str], List[str], List[str], List[str]]:
    """(texts, themes) and (texts, groups): the life-situation corpus (attribute ``need_corpus``, added
    by bot/rasa/life_situation_importer.py), the theme entities of the NLU examples, and the examples
    of intents that are no need (label NO_THEME)."""
    theme_texts, themes, group_texts, groups = [], [], [], []
    for message in nlu.training_examples:
        corpus = message.get(NEED_CORPUS)
        if isinstance(corpus, list):
            for item in corpus:
                if item.get("kind") == "crisis" or not item.get("text"):
                    continue
                if item.get("theme"):
                    theme_texts.append(str(item["text"]))
                    themes.append(str(item["theme"]))
                group_texts.append(str(item["text"]))
                groups.append(str(item.get("target_group") or NO_GROUP))
            continue
        text = message.get(TEXT)
        if not text:
            continue
        named = [str(e["value"]) for e in message.get(ENTITIES) or [] if e.get("entity") == "theme"]
        if named:
            theme_texts.append(text)
            themes.append(named[-1])
        elif message.get(INTENT) in NOT_A_NEED:
            theme_texts.append(text)
            themes.append(NO_THEME)
    return theme_texts, themes, group_texts, groups


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class NeedClassifier(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"c": 4.0, "theme_threshold": 0.5,
                "theme_margin": 0.1, "ask_floor": 0.05, "ask_max": 3, "ask_min_words": 3, "override_min_words": 4,
                "doubt_word_theme_below": 0.3,
                "group_threshold": 0.3}

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 models: Dict[str, Pipeline] | None = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.models = models or {}

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> NeedClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> NeedClassifier:
        try:
            with model_storage.read_from(resource) as path:
                models = joblib.load(path / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            models = {}
        return cls(config, model_storage, resource, models)

    def train(self, training_data: TrainingData) -> Resource:
        theme_texts, themes, group_texts, groups = training_examples(training_data)
        self.models = {}
        if len(set(themes)) > 1:
            self.models["theme"] = _pipeline(self._config["c"]).fit([_bag(t) for t in theme_texts], themes)
        if len(set(groups)) > 1:
            self.models["group"] = _pipeline(self._config["c"]).fit([_bag(t) for t in group_texts], groups)
        with self._model_storage.write_to(self._resource) as path:
            joblib.dump(self.models, path / MODEL_FILE)
        return self._resource

    def estimate(self, text: str) -> Dict[str, List[Tuple[str, float]]]:
        """Labels with probabilities, likeliest first, for each trained model."""
        bag = _bag(text)
        out: Dict[str, List[Tuple[str, float]]] = {}
        for name, model in self.models.items():
            probabilities = model.predict_proba([bag])[0]
            pairs = zip(model.classes_, probabilities, strict=True)
            out[name] = sorted(((str(label), float(p)) for label, p in pairs), key=lambda lp: -lp[1])
        return out

    def decide(self, text: str, entities: List[Dict[str, Any]],
               intent: str | None = None) -> Tuple[List[Dict[str, Any]], Dict[str, Any], List[str]]:
        """Entities to add, the ``need`` record for the parse data and the entity types whose word-level
        values the classifier replaces. A message with too few words of its own ("entä Raumalla?",
        "kiitos") says nothing new about the need; in a short request ("kuntosali Raumalla") the words
        decide; in a longer message (``ask_min_words`` content words or more) the classifier decides,
        with the words as some of its features ("ruokaa" in "rahat ei riitä ruokaan" is income support)."""
        said = len(content_words(text[:MAX_CHARS]).split())
        if said < 1 or not self.models:
            return [], {}, []
        long_message = said >= self._config["ask_min_words"]
        rule_theme = any(e.get("entity") == "theme" for e in entities)
        rule_group = any(e.get("entity") == "target_group" for e in entities)
        estimate = self.estimate(text)
        themes, groups = estimate.get("theme", []), estimate.get("group", [])
        if themes and themes[0][0] == NO_THEME and not rule_theme and intent not in SEARCHING:
            return [], {}, []  # the intent classifier and this one agree: small talk or out of scope
        themes = [(t, p) for t, p in themes if t != NO_THEME]
        need: Dict[str, Any] = {"themes": [[t, round(p, 3)] for t, p in themes[:3]],
                                "target_groups": [[g, round(p, 3)] for g, p in groups[:3]]}
        added: List[Dict[str, Any]] = []
        replaced: List[str] = []
        narrative = said >= self._config["override_min_words"]
        if themes and not rule_theme:
            (best, p1), p2 = themes[0], (themes[1][1] if len(themes) > 1 else 0.0)
            if p1 >= self._config["theme_threshold"] and p1 - p2 >= self._config["theme_margin"]:
                added.append({"entity": "theme", "value": best, "start": 0, "end": 0,
                              "confidence_entity": round(p1, 3)})
            elif long_message:
                need["ask_themes"] = [[t, round(p, 3)] for t, p in themes[: self._config["ask_max"]]
                                      if p >= self._config["ask_floor"]]
        elif themes and long_message:
            # a story that happens to use a theme word ("läheisen alkoholismi syö mun voimat"): the
            # classifier replaces the word's theme when it is sure of another one, and when it finds
            # the word's theme unlikely without being sure of its own, the bot asks, offering both
            rule_values = [str(e.get("value")) for e in entities if e.get("entity") == "theme"]
            (best, p1), p2 = themes[0], (themes[1][1] if len(themes) > 1 else 0.0)
            probability = dict(themes)
            sure = p1 >= self._config["theme_threshold"] and p1 - p2 >= self._config["theme_margin"]
            if best in rule_values and len(set(rule_values)) > 1:
                # words name several themes ("alkoholismi syö mun voimat"): the likeliest of them
                added.append({"entity": "theme", "value": best, "start": 0, "end": 0,
                              "confidence_entity": round(p1, 3)})
                replaced.append("theme")
            elif best not in rule_values and sure and narrative:
                added.append({"entity": "theme", "value": best, "start": 0, "end": 0,
                              "confidence_entity": round(p1, 3)})
                replaced.append("theme")
            elif (best not in rule_values
                  and max(probability.get(v, 0.0) for v in rule_values) < self._config["doubt_word_theme_below"]):
                offered = list(dict.fromkeys([*rule_values, *(t for t, p in themes[:2]
                                                             if p >= self._config["ask_floor"])]))
                need["ask_themes"] = [[t, round(probability.get(t, 0.0), 3)]
                                      for t in offered[: self._config["ask_max"]]]
                replaced.append("theme")
        if groups and long_message and not rule_group:  # a group named in words always stays
            best_group, p = groups[0]
            if best_group != NO_GROUP and p >= self._config["group_threshold"]:
                added.append({"entity": "target_group", "value": best_group, "start": 0, "end": 0,
                              "confidence_entity": round(p, 3)})
        return added, need, replaced

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            entities = message.get(ENTITIES) or []
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent not in BECOMES_SEARCH:  # a referral answer, a follow-up, a crisis: not a need
                continue
            added, need, replaced = self.decide(text, entities, intent)
            if not need:
                continue
            kept = [e for e in entities if e.get("entity") not in replaced]
            message.set(ENTITIES, kept + self.add_extractor_name(added), add_to_output=True)
            message.set(NEED, need, add_to_output=True)
            final = kept + added
            themed = any(e.get("entity") == "theme" for e in final) or bool(need.get("ask_themes"))
            if themed and intent not in ("search_services", "inform"):
                message.set(INTENT, {INTENT_NAME_KEY: "search_services",
                                     PREDICTED_CONFIDENCE_KEY: need["themes"][0][1]}, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
