"""Palettes and categorical colours told apart under protanopia, deuteranopia and tritanopia, simulated
with the Machado et al. (2009) matrices (maison_geo/colour_vision.py), distance CIE76 ΔE."""
import pytest
from branca.utilities import color_brewer

from maison_geo import maps
from maison_geo.colour_vision import VISIONS, difference, simulate, smallest_difference
from maison_geo.qualitative import OKABE_ITO, YES_NO_COLORS

CATEGORIES = 15  # ΔE between any two categories: told apart at a glance, not merely noticeably
STEPS = 7.5      # ΔE between neighbouring classes of a light-to-dark ramp (their order helps too)


def test_the_simulation_is_the_published_one():
    """Grey stays grey in every simulation (each matrix row sums to 1), and pure red loses its red
    under protanopia: the check would catch a wrong matrix."""
    for vision in VISIONS:
        assert simulate("#808080", vision) == pytest.approx(simulate("#808080", "normal"), abs=2e-3)
    assert simulate("#ff0000", "protanopia")[0] < 0.2 < simulate("#ff0000", "normal")[0]
    # the former eras colours, which the issue saw merge under deuteranopia, fail the check
    assert difference("#fdb462", "#b3de69", "deuteranopia") < CATEGORIES


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name, colors", [
    ("eras", maps.ERA_COLORS), ("progress", list(maps.PROGRESS_COLORS.values())),
    ("categories", OKABE_ITO + [maps.NO_DATA_COLOR]), ("yes/no", list(YES_NO_COLORS.values()) + [maps.NO_DATA_COLOR]),
])
def test_categorical_colours_stay_apart(name, colors, vision):
    found, a, b = smallest_difference(colors, vision)
    assert found >= CATEGORIES, f"{name} under {vision}: {a} and {b} only ΔE {found:.1f} apart"


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("ramp", [maps.RAMP_BETTER, maps.RAMP_NEUTRAL])
@pytest.mark.parametrize("k", [3, 4, 5, 6, 7])
def test_neighbouring_classes_of_every_ramp_stay_apart(ramp, k, vision):
    colors = color_brewer(ramp, k)
    found, a, b = smallest_difference(colors, vision, pairs=list(zip(colors, colors[1:])))
    assert found >= STEPS, f"{ramp} k={k} under {vision}: {a} and {b} only ΔE {found:.1f} apart"


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("ramp", [maps.RAMP_BETTER, maps.RAMP_NEUTRAL])
def test_no_data_stands_apart_from_the_lightest_class_of_every_ramp(ramp, vision):
    """No data is hatched on the map; its ground must not pass for the palest class either (the former
    #d4d4d4 was only ΔE 10 from the lightest purple under tritanopia)."""
    for k in (3, 4, 5, 6, 7):
        lightest = color_brewer(ramp, k)[0]
        found = difference(maps.NO_DATA_COLOR, lightest, vision)
        assert found >= CATEGORIES, f"no data and {ramp} k={k}'s {lightest} under {vision}: ΔE {found:.1f}"


def test_the_former_no_data_grey_fails_the_check():
    assert difference("#d4d4d4", color_brewer(maps.RAMP_NEUTRAL, 5)[0], "tritanopia") < CATEGORIES
