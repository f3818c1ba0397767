"""Poster scenes (models/scenes.py): formatted and parsed without a database or WeChat."""
import pytest

from models.scenes import DEVICE, LOCATION, Scene, device_scene, location_scene, parse_scene, \
    scene_of_event


def test_scenes_round_trip():
    assert location_scene(12) == "loc:12" and device_scene(3) == "dev:3"
    assert parse_scene("loc:12") == Scene(LOCATION, 12)
    assert parse_scene(device_scene(999_999_999_999)) == Scene(DEVICE, 999_999_999_999)
    assert str(Scene(DEVICE, 7)) == "dev:7"


@pytest.mark.parametrize("text", [None, "", "loc", "loc:", "loc:0", "loc:012", "loc:-1",
                                  "loc:1.5", "loc:1x", " loc:1", "LOC:1", "room:1", "dev:١٢",
                                  "loc:1234567890123", "qrscene_loc:1", 12])
def test_anything_else_parses_to_none(text):
    assert parse_scene(text) is None


@pytest.mark.parametrize("bad", [0, -1, True, "3", 1.0, 10 ** 12])
def test_formatting_refuses_what_is_not_an_id(bad):
    with pytest.raises(ValueError):
        location_scene(bad)


def test_the_scene_of_an_event():
    assert scene_of_event("SCAN", "dev:4") == Scene(DEVICE, 4)
    assert scene_of_event("subscribe", "qrscene_loc:5") == Scene(LOCATION, 5)
    assert scene_of_event("subscribe", "loc:5") is None  # a plain follow carries no scene
    assert scene_of_event("subscribe", "") is None
    assert scene_of_event("SCAN", "qrscene_loc:5") is None
    assert scene_of_event("CLICK", "loc:5") is None
