"""Short labelled texts written for these tests (no external data): four sub-event types, six each."""

from __future__ import annotations

import json
from pathlib import Path

LABELLED: list[tuple[str, str]] = [
    ("Hundreds of teachers marched peacefully to the parliament demanding higher pay.", "Peaceful protest"),
    ("Students held a sit-in outside the university over tuition fees.", "Peaceful protest"),
    ("Farmers rallied in the town square against new water charges.", "Peaceful protest"),
    ("Shopkeepers staged a peaceful demonstration against electricity cuts.", "Peaceful protest"),
    ("Nurses gathered with banners outside the hospital to demand back pay.", "Peaceful protest"),
    ("Residents marched through the market to protest rising bread prices.", "Peaceful protest"),
    ("Soldiers and rebels exchanged fire near the border post for two hours.", "Armed clash"),
    ("Militants clashed with army troops in the hills, and gunfire lasted until dawn.", "Armed clash"),
    ("A gun battle broke out between police and an armed group near the bridge.", "Armed clash"),
    ("Rival militias fought with rifles and machine guns over the checkpoint.", "Armed clash"),
    ("Troops engaged insurgents in a firefight outside the village.", "Armed clash"),
    ("Security forces and gunmen traded fire during a raid on a hideout.", "Armed clash"),
    ("Artillery shells landed on the outskirts of the city overnight.", "Shelling/artillery/missile attack"),
    ("The army fired mortar rounds at rebel positions in the valley.", "Shelling/artillery/missile attack"),
    ("A rocket struck a residential block after heavy shelling.", "Shelling/artillery/missile attack"),
    ("Missiles hit an airfield, damaging two hangars.", "Shelling/artillery/missile attack"),
    ("Rebels shelled government positions with heavy artillery.", "Shelling/artillery/missile attack"),
    ("Mortar shells fell on a market, the shelling lasting an hour.", "Shelling/artillery/missile attack"),
    ("Police arrested four members of an armed group at their home.", "Arrests"),
    ("Officers detained a suspected militant commander at a bus station.", "Arrests"),
    ("Security forces arrested two men accused of planning attacks.", "Arrests"),
    ("Police took three opposition activists into custody after a raid.", "Arrests"),
    ("A suspected rebel financier was arrested by the police at the airport.", "Arrests"),
    ("Counter-terrorism officers detained five suspects in an overnight raid.", "Arrests"),
]


def write_labels(path: Path) -> Path:
    path.write_text(
        "".join(json.dumps({"text": t, "sub_event_type": s}) + "\n" for t, s in LABELLED), encoding="utf-8"
    )
    return path
