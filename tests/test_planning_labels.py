"""Follow-ups to the planner: a maximum share of 0 is a cap, and the page's labels read as words in
both languages (no raw keys such as criterion_cost or time_limit on the English page)."""
import pytest

from maison_geo import create_app, planning
from maison_geo.planning import make_plan


def test_a_maximum_share_of_zero_for_every_commune_is_a_cap(store, catalogue):
    capped = make_plan(store, catalogue, {"budget": 1e9, "max_share": 0}).to_dict()
    assert capped["summary"]["milp"]["spend_vnd"] == 0 and capped["summary"]["greedy"]["spend_vnd"] == 0
    assert len(capped["inputs"]["max_spend_vnd"]) == 22
    # the same as the form's "maximum for every commune: 0 %" and as a per-commune 0
    one = make_plan(store, catalogue, {"budget": 1e9, "max_share": {"04141": 0}}).to_dict()
    assert next(c for c in one["communes"] if c["code"] == "04141")["spend_vnd"] == 0
    # a minimum of 0 is simply no minimum
    free = make_plan(store, catalogue, {"budget": 1e9, "min_share": 0}).to_dict()
    assert free["inputs"]["min_spend_vnd"] == {} and free["summary"]["milp"]["spend_vnd"] > 0


@pytest.fixture()
def web(store, tmp_path):
    app = create_app({"TESTING": True, "STORE_PATH": str(store.location), "WTF_CSRF_ENABLED": False,
                      "PLANNING_DB": str(tmp_path / "planning.sqlite")})
    return app.test_client()


def test_form_and_api_agree_on_a_zero_maximum(web):
    form = web.get("/plan?budget=1000000000&max_share_all=0&format=json").get_json()
    api = web.post("/api/plans", json={"budget": 1e9, "max_share": 0}).get_json()
    assert form["summary"]["milp"]["spend_vnd"] == api["summary"]["milp"]["spend_vnd"] == 0


@pytest.mark.parametrize("lang,words", [
    ("en", ["cost per beneficiary", "size of the gap", "poverty rate", "remoteness (area class I–III)"]),
    ("vi", ["chi phí mỗi hộ hưởng lợi", "mức thiếu hụt", "tỷ lệ nghèo", "vùng khó khăn (khu vực I–III)"]),
])
def test_criterion_labels_are_words(web, lang, words):
    text = web.get(f"/plan?lang={lang}").get_data(as_text=True)
    assert "criterion_" not in text
    for word in words:
        assert word in text, word


@pytest.mark.parametrize("lang,label", [("en", "time limit reached (best plan found)"),
                                        ("vi", "hết thời gian (phương án tốt nhất đã tìm)")])
def test_time_limit_status_is_a_phrase(web, monkeypatch, lang, label):
    # the web runs the solver in a worker process (web.limits): replace what it calls
    monkeypatch.setattr("maison_geo.web.limits._pooled_solve", lambda items, budgets, *a, **k: planning.Solution(
        [[0] * len(budgets) for _ in items], "time_limit", "Time limit reached", 0.1, found=False))
    text = web.get(f"/plan?budget=5000000000&lang={lang}").get_data(as_text=True)
    status = text.split('id="milp-status">')[1].split("</td>")[0]
    assert label in status and "time_limit" not in status
