"""spaCy model loader whose model name comes from the environment (``SPACY_MODEL``).

Rasa wires spaCy-dependent components to their model provider by the class name "SpacyNLP",
so this subclass keeps that name. Default: ``spacy_fi_experimental_web_md``; set
``SPACY_MODEL=fi_core_news_sm`` (or any installed Finnish pipeline) to swap it.
"""

from typing import Any, Dict

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils import spacy_utils

from bot.settings import get_settings


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SpacyNLP":
        config = {**config, "model": config.get("model") or get_settings().spacy_model}
        model = cls.load_model(config["model"])
        cls.ensure_proper_language_model(model.model)
        return cls(model, {**cls.get_default_config(), **config})
