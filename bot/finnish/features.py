"""Feature names of one word for the learned components: lemmas, compound parts and Finnish concepts.

"kuntosaliohjausta" becomes lemma:kuntosaliohjaus, part:kunto, part:sali, part:ohjaus and
concept:theme; "Raumalla" becomes concept:municipality. Shared by the VoikkoFeaturizer (intents) and
the NeedClassifier (needs behind life situations).
"""

from __future__ import annotations

from bot.finnish.morphology import analyse
from bot.finnish.places import resolve_word
from bot.finnish.vocabulary import classify_word


def token_features(text: str) -> list[str]:
    """The feature names of one token."""
    if len(text) > 60:
        return []
    names: list[str] = []
    for reading in analyse(text) or analyse(text.lower()):
        names.append(f"lemma:{reading.baseform.lower()}")
        names.extend(f"part:{p}" for p in reading.parts)
    place = resolve_word(text)
    if place:
        names.append(f"concept:{place[0]}")
    for kind, _value, _strength in classify_word(text):
        names.append(f"concept:{kind}")
    return list(dict.fromkeys(names))
