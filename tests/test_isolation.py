"""The tests never read or write the developer's files in instance/."""
from pathlib import Path

from maison_geo import paths
from maison_geo.userdata import default_path


def outside_instance(path):
    return paths.INSTANCE.resolve() not in Path(path).resolve().parents


def test_the_app_fixture_keeps_its_files_outside_instance(app):
    if app.config.get("DATABASE_URL"):  # everything in the suite's own PostgreSQL database
        assert app.extensions["maison"]["store"].userdata.location.startswith("postgresql://")
        return
    assert outside_instance(app.extensions["maison"]["store"].userdata.location)
    assert outside_instance(app.config["PLANNING_DB"])
    assert outside_instance(app.config["STORE_PATH"])


def test_an_app_made_without_a_user_data_path_does_not_use_instance():
    assert outside_instance(default_path())
