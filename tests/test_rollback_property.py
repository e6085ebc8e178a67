"""Property: rolling back one upload leaves exactly the data of the same uploads made without it (and without the
later uploads that overlap it, which the rollback undoes too), on random sequences of small uploads for Fictional
Borough Council through the real pipeline (refresh.stage and commit) on a real DuckDB file."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings, strategies as st

from conftest import FIXTURE_SEED
from dashboard.importer.officer import SETUP_ORDER
from dashboard.loading import refresh
from dashboard.loading.build import build
from dashboard.store.connection import connect
from dashboard.store.uploads import JOURNALLED

SETUP = Path(__file__).parent / "data" / "setup"
COMPARED = (*JOURNALLED, "indicator_assessment")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The fictional fixture plus Fictional Borough Council's set-up files (its plan, areas, indicators, actions and
    first values), each uploaded as an officer would: built once for the module, copied for each example."""
    db = build(tmp_path_factory.mktemp("base") / "base.duckdb", FIXTURE_SEED)
    for kind in SETUP_ORDER:
        _commit(db, kind, f"{kind}.csv", (SETUP / f"{kind}.csv").read_bytes())
    return db


def _commit(db: Path, kind: str, name: str, data: bytes) -> int | None:
    """Stage and commit one file; None when it changes nothing or is refused (then it is not in the sequence)."""
    preview = refresh.stage(db, kind, name, data, "tester")
    if not preview.can_commit:
        refresh.discard(preview)
        return None
    return refresh.commit(preview, db)


def _csv(header: str, rows: list[str]) -> bytes:
    return (header + "\n" + "".join(row + "\n" for row in rows)).encode()


def _unique(rows, key):
    return st.lists(rows, min_size=1, max_size=3, unique_by=key)


_values = _unique(st.tuples(st.sampled_from(["FBC 1", "FBC 2", "FBC 9"]), st.sampled_from(["2026/27 Q1", "2026/27 Q2"]),
                            st.sampled_from(["actual", "target"]), st.sampled_from(["58", "60", "61"]),
                            st.sampled_from(["", "", "", "yes"])), lambda r: r[:3])
_statuses = _unique(st.tuples(st.sampled_from(["A1", "A2"]), st.sampled_from(["Green", "Amber", "Red"]),
                              st.sampled_from(["30/06/2026", "30/09/2026"]),
                              st.sampled_from(["", "", "C. Officer"])), lambda r: r[:1])
_efficiency = _unique(st.tuples(st.sampled_from(["2026/27", "2027/28"]), st.sampled_from(["Fewer taxis", "Payroll"]),
                                st.sampled_from(["10", "20"]), st.sampled_from(["", "", "", "yes"])),
                      lambda r: r[:2])
_definitions = _unique(st.tuples(st.sampled_from(["FBC 1", "FBC 9"]), st.sampled_from(["5%", "10%"])),
                       lambda r: r[:1])

UPLOAD = st.one_of(
    _values.map(lambda rows: ("indicators", _csv(
        "indicator_code,organisation,period,measure,value,remove",
        [f"{c},fictional-borough,{p},{m},{'' if r else v},{r}" for c, p, m, v, r in rows]))),
    _statuses.map(lambda rows: ("actions", _csv(
        "plan_id,code,status,as_at,lead_officer", [f"fbc-plan,{c},{s},{d},{o}" for c, s, d, o in rows]))),
    _efficiency.map(lambda rows: ("efficiency", _csv(
        "organisation,year,directorate,category,description,stage,cashable,remove",
        [f"fictional-borough,{y},Children's Services,Procurement,{d},forward_look,{'' if r else v},{r}"
         for y, d, v, r in rows]))),
    _definitions.map(lambda rows: ("indicator_definitions", _csv(
        "code,name,unit,polarity,tolerance", [f"{c},Measure {c},percent,higher is better,{t}" for c, t in rows]))),
)


def _contents(db: Path, ids: dict[int, int]) -> dict[str, list[tuple]]:
    """Every compared table's rows, sorted, with each upload id mapped through `ids` (the seed's and the base's
    unchanged) and an action's or area's sort_order as its rank: places are kept in order, but a rollback leaves a
    gap where the undone upload's new action was."""
    con = connect(db, read_only=True)
    try:
        out = {}
        for table in COMPARED:
            cursor = con.execute(f"SELECT * FROM {table}")
            names = [c[0] for c in cursor.description]
            rows = [dict(zip(names, row)) for row in cursor.fetchall()]
            if "sort_order" in names:
                for rank, row in enumerate(sorted(rows, key=lambda r: (r["plan_id"], r["sort_order"]))):
                    row["sort_order"] = rank
            for row in rows:
                if row.get("upload_id") is not None:
                    row["upload_id"] = ids.get(row["upload_id"], row["upload_id"])
            out[table] = sorted(tuple(map(repr, row.values())) for row in rows)
        return out
    finally:
        con.close()


@pytest.mark.slow  # 200 examples: 5.5 minutes (3.5 of CPU) on the shared 2-core machine, 1-2 s each
@settings(max_examples=int(os.environ.get("ROLLBACK_EXAMPLES", "200")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=st.lists(UPLOAD, min_size=2, max_size=5), pick=st.integers(min_value=0, max_value=3))
# Found in CI: a removal that found nothing named the indicator the rolled-back upload added (uploads.adders).
@example(files=[("indicator_definitions", b"code,name,unit,polarity,tolerance\nFBC 9,Measure FBC 9,percent,higher is "
                 b"better,5%\n"),
                ("indicators", b"indicator_code,organisation,period,measure,value,remove\nFBC 1,fictional-borough,"
                 b"2026/27 Q1,actual,58,\nFBC 1,fictional-borough,2026/27 Q1,target,58,\nFBC 9,fictional-borough,"
                 b"2026/27 Q1,actual,,yes\n")], pick=0)
def test_rolling_back_one_upload_equals_never_making_it_and_its_overlaps(base, files, pick):
    with tempfile.TemporaryDirectory() as folder:
        db, replay = Path(folder) / "db.duckdb", Path(folder) / "replay.duckdb"
        shutil.copyfile(base, db)
        shutil.copyfile(base, replay)
        committed = []  # (upload id, kind, file)
        for n, (kind, data) in enumerate(files):
            upload_id = _commit(db, kind, f"f{n}.csv", data)
            if upload_id is not None:
                committed.append((upload_id, kind, data))
        if not committed:
            return
        # Not the last upload, when there are two or more: undoing the last one keeps nothing, a case the unit tests
        # cover.
        chosen = committed[pick % max(1, len(committed) - 1)][0]
        plan = refresh.rollback_plan(db, chosen)
        assert chosen in plan.undone and set(plan.undone) | set(plan.kept) == {u for u, _, _ in committed
                                                                                if u >= chosen}
        refresh.roll_back(db, chosen, "tester", expected=list(plan.undone))
        # What the examples covered (--hypothesis-show-statistics): how many uploads went and stayed, and why.
        event(f"undone {len(plan.undone)}, kept {len(plan.kept)}")
        for why in sorted({reason.why for reason in plan.reasons}):
            event(f"an overlap by {why}")

        ids = {}  # the upload id in `replay` of each upload kept
        for upload_id, kind, data in committed:
            if upload_id in plan.undone:
                continue
            again = _commit(replay, kind, f"again-{upload_id}.csv", data)
            assert again is not None, f"upload {upload_id} ({kind}) changes nothing without {plan.undone}"
            ids[again] = upload_id
        assert _contents(db, {}) == _contents(replay, ids), plan.words()
