"""The typing rule table on small hand-built cues (no spaCy, no full coder): each rule fires where its
ACLED convention says, and the rule that fired is reported."""

from __future__ import annotations

import pytest

from conflictcoder.extract.triggers import TriggerMention, TriggerWords
from conflictcoder.extract.typing_rules import (
    RULES,
    ActorFacts,
    IncidentCues,
    incident_cues,
    type_incident,
)
from conflictcoder.lexicon import TriggerEntry
from conflictcoder.word_lists import load_lexicons

LEX = load_lexicons(None)  # the packaged word lists; reading them needs no spaCy
ENTRIES: dict[str, TriggerEntry] = {e.phrase: e for e in LEX.triggers}


def trig(phrase: str, n: int = 0, one_person: bool = False) -> TriggerMention:
    """A mention of the packaged trigger `phrase` as the n-th trigger of a one-sentence incident."""
    return TriggerMention(ENTRIES[phrase], n, n + 1, 10 * n, 10 * n + 5, 0, one_person)


def typed(*phrases: str, **cues: object) -> tuple[str, tuple[str, ...], str]:
    triggers = tuple(trig(p, n) for n, p in enumerate(phrases))
    got = type_incident(IncidentCues(triggers, **cues), LEX.trigger_words)  # type: ignore[arg-type]
    assert got is not None
    return got.sub_event_type, got.rules, got.trigger.entry.phrase


@pytest.fixture
def words() -> TriggerWords:
    return LEX.trigger_words


def test_every_rule_names_an_acled_convention() -> None:
    assert len(RULES) >= 15
    for rule in RULES.values():
        assert rule.acled.strip() and rule.text.strip(), rule.id


def test_a_capture_by_state_forces_is_government_regains_territory() -> None:
    assert typed("capture") == ("Non-state actor overtakes territory", ("trigger-type",), "capture")
    assert typed("capture", agent_is_state=True) == (
        "Government regains territory",
        ("state-agent",),
        "capture",
    )


def test_an_attack_on_civilians_is_violence_against_civilians_but_on_forces_a_clash() -> None:
    assert typed("attack", civilians_hit=True)[:2] == ("Attack", ("civilian-target",))
    assert typed("attack", armed_target=True)[:2] == ("Armed clash", ("trigger-type",))


def test_a_kill_whose_dead_are_combatants_is_a_clash() -> None:
    assert typed("kill", victims=frozenset({"militants"}))[:2] == ("Armed clash", ("combatant-dead",))
    assert typed("kill", victims=frozenset({"militants", "civilians"}))[:2] == ("Attack", ("trigger-type",))


def test_protest_context_outranks_state_agent_first_match_wins() -> None:
    sub, rules, _ = typed("burn", protest=True, agent_is_state=True)
    assert (sub, rules[0]) == ("Violent demonstration", "protest-context")


def test_an_unorganised_clash_is_mob_violence() -> None:
    assert typed("clash", organized=False)[:2] == ("Mob violence", ("trigger-type", "unorganised-clash"))
    assert typed("clash", organized=False, protest=True)[0] == "Violent demonstration"


def test_a_named_weapon_types_a_generic_attack() -> None:
    assert typed("attack", "ied") == ("Remote explosive/landmine/IED", ("trigger-type",), "ied")


def test_grenades_fired_with_gunfire_at_forces_are_the_means_of_a_clash() -> None:
    assert typed("fire on", "grenade", armed_target=True)[::2] == ("Armed clash", "fire on")
    assert typed("fire on", "grenade", civilians_hit=True)[0] == "Grenade"


def test_a_strategic_trigger_folds_into_a_violent_incident() -> None:
    sub, _, phrase = typed("seize", "kill")
    assert (sub, phrase) == ("Attack", "kill")
    # alone, the seizure types the incident
    assert typed("seize")[0] == "Looting/property destruction"


def test_one_weak_protest_cue_is_no_incident_but_two_are_a_protest(words: TriggerWords) -> None:
    assert type_incident(IncidentCues((trig("gather"),)), words) is None
    assert typed("gather", "demand")[0] == "Peaceful protest"


def test_protest_outcome_rules_first_match_wins() -> None:
    assert typed("protest", protest=True)[:2] == ("Peaceful protest", ("peaceful-protest",))
    assert typed("protest", "disperse", protest=True)[:2] == (
        "Protest with intervention",
        ("protest-intervention",),
    )
    force = typed("protest", "fire on", protest=True, victims=frozenset({"civilians"}))
    assert force[:2] == ("Excessive force against protesters", ("excessive-force",))
    riot = typed("protest", "mob", protest=True)
    assert riot[:2] == ("Violent demonstration", ("violent-demonstration",))


def test_cues_from_actor_facts() -> None:
    gunmen, villagers = ActorFacts("armed", 3), ActorFacts("civilians", 7)
    cues = incident_cues(
        [trig("attack")], "armed", [gunmen, villagers], [villagers], frozenset(), False, False
    )
    assert cues.civilians_hit and not cues.armed_target and cues.organized and not cues.agent_is_state
    # the dead "persons" of an attack on a military post do not make the target civilians
    at_post = incident_cues(
        [trig("attack")], "armed", [gunmen, villagers], [villagers], frozenset({"unknown"}), True, False
    )
    assert not at_post.civilians_hit and at_post.armed_target
    # villagers fighting villagers: no organised actor
    mob = incident_cues([trig("clash")], "civilians", [villagers, villagers], [], frozenset(), False, False)
    assert not mob.organized
    police = incident_cues(
        [trig("arrest")], "police", [ActorFacts("police", 1)], [], frozenset(), False, False
    )
    assert police.agent_is_state


def test_the_reason_names_the_trigger_and_the_rule(words: TriggerWords) -> None:
    got = type_incident(IncidentCues((trig("capture"),), agent_is_state=True), words)
    assert got is not None
    assert got.reason.startswith("trigger 'capture'; state-agent: ")
