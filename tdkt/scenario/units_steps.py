"""The units service's part: the tree, the staff and their grades by import; discipline and initiatives by command."""

from __future__ import annotations

from datetime import date

from tdkt.demo_data.files import import_files
from tdkt.demo_data.model import Ministry

from .client import Services, in_parallel
from .progress import Reporter


async def import_records(api: Services, ministry: Ministry, reporter: Reporter) -> None:
    """``POST /imports/{units|people|grades}`` with the generated spreadsheets, as an office would upload them.

    Each file is applied in one transaction or not at all; a second run finds every row ``unchanged``.
    """
    files = import_files(ministry)
    with reporter.step("Nhập đơn vị, cán bộ, xếp loại (import)", total=sum(f.rows for f in files)) as step:
        for f in files:
            report = await api.units.request(
                "POST", f"/imports/{f.kind}", params={"dry_run": "false", "filename": f.filename},
                content=f.content, headers={"Content-Type": "text/csv; charset=utf-8"},
            )
            if not report.get("ok", False):
                raise RuntimeError(f"import of {f.filename} was not applied: {report.get('errors', [])[:5]}")
            step.advance(f.rows)
            step.note(f"{f.filename}: {report['new']} mới, {report['unchanged']} không đổi")
        step.note(f"{len(ministry.units)} đơn vị, {len(ministry.people)} cán bộ, "
                  f"{len(ministry.grades) + len(ministry.unit_grades)} kết quả xếp loại")


async def record_disciplines(api: Services, ministry: Ministry, reporter: Reporter, *, today: date) -> None:
    """``POST /disciplines`` for each decision, then ``/disciplines/end`` once its period is over."""
    with reporter.step("Kỷ luật (discipline)", total=len(ministry.disciplines)) as step:

        async def one(d) -> None:  # type: ignore[no-untyped-def]
            await api.units.post("/disciplines", {
                "person_id": d.person_id, "discipline_id": d.discipline_id, "form": d.form, "reason": d.reason,
                "decision_number": d.decision_number, "decided_on": d.decided_on.isoformat(),
                "ends_on": d.ends_on.isoformat(),
            })
            if d.ends_on < today:
                await api.units.post("/disciplines/end", {
                    "person_id": d.person_id, "discipline_id": d.discipline_id,
                    "ended_on": d.ends_on.isoformat(), "ending": "het_thoi_han",
                })

        await in_parallel(ministry.disciplines, one, on_done=lambda _: step.advance())
        step.note(f"{len(ministry.disciplines)} quyết định kỷ luật")


async def record_initiatives(api: Services, ministry: Ministry, reporter: Reporter) -> None:
    """``POST /initiatives`` for every recognised initiative and research work."""
    with reporter.step("Sáng kiến, đề tài (initiatives)", total=len(ministry.initiatives)) as step:

        async def one(i) -> None:  # type: ignore[no-untyped-def]
            await api.units.post("/initiatives", {
                "initiative_id": i.initiative_id, "kind": i.kind, "level": i.level, "year": i.year,
                "title": i.title, "decision_number": i.decision_number, "decided_on": i.decided_on.isoformat(),
                "author_ids": list(i.author_ids), "unit_id": i.unit_id,
            })

        await in_parallel(ministry.initiatives, one, limit=12, on_done=lambda _: step.advance())
        step.note(f"{len(ministry.initiatives)} sáng kiến, đề tài")
