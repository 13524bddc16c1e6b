"""The seeded generator: a realistic Ministry of Industry and Trade with its 2017–2024 records and award history.

``generate_ministry(seed, staff=…)`` is pure and reproducible: the same seed
and size give the same ministry, byte for byte (every random choice comes
from ``random.Random`` streams seeded with strings, which Python hashes the
same way in every process).

How the 2023 figures of the article are met
-------------------------------------------
People and units are *planned* for the article's 2023 awards first (a
"role"), and their records are then generated to satisfy the rules in force
for 2023 (the catalogue's ``LAW2013_ND91`` versions, see
``services/awards/domain/README.md``):

========================  =========================================================================
2023 award                what the record holds
========================  =========================================================================
CSTD_BO (87)              CSTĐCS 2021, 2022, 2023 (each on a grassroots initiative of its year) and
                          a ministry-level initiative of 2022
BK_BT individual (214)    by route: CSTĐCS 2022 and 2023; or HTXS 2022–2023 with two grassroots
                          initiatives; or an attested achievement — outstanding in the Ministry's
                          rural-development movement (thematic) or a one-off act (market surveillance)
BK_BT collective (68)     unit graded HTXS in 2022 and 2023
KNC_CT (83)               ≥ 20 years (men) / 15 (women) in the sector, or ≥ 10 in hazardous jobs
KNC_GD (78)               ≥ 20 / 15 years in education (the Ministry's universities and colleges)
BK_TTG (9)                Bằng khen Bộ trưởng 2018 (HTXS 2017–2018 + two initiatives), then HTXS
                          2019–2023 with five grassroots initiatives
HCLD_3 (3 + 1 collective) Bằng khen Thủ tướng of 2016 (recorded from the files: before any rule this
                          system holds), HTT+ 2019–2023 with HTXS, CSTĐCS 2021–2023
NGUT (3), NGND (2)        ≥ 15 / 20 teaching years; for NGND, Nhà giáo ưu tú of 2020
========================  =========================================================================

Every title those chains need is itself granted in the history, through the
same workflow (Lao động tiên tiến to everyone graded HTT or better, then
Chiến sĩ thi đua cơ sở within the 15 % cap of NĐ 91/2017 Art. 9.3), and
:mod:`.verify` replays the whole history through the eligibility engine.

Optional background (``background=True``): earlier years' Ministry rounds
(Bằng khen, Kỷ niệm chương) given to people the engine finds eligible, and
grassroots titles beyond the chains, so that earlier years' reports are not
empty. Only unit-head titles are added to 2023, so the Minister's 2023
figures stay exactly the article's.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import names
from .article import MINISTER, THEMATIC_MOVEMENT, TO_AUTHORITY
from .careers import career
from .model import (
    AttestationSpec,
    Candidate,
    Discipline,
    Forward,
    Grant,
    Initiative,
    LegacyAward,
    Ministry,
    Nomination,
    Notice,
    Person,
    Supplement,
    Unit,
)
from .org import MINISTRY, POSITIONS, STAFF_CATEGORY, UnitTemplate, deputy_title, flatten, head_title

FIRST_YEAR = 2017
"""First year with grades: the first achievement year under a rule the catalogue holds (from 2017-07-31)."""
LAST_GRADED_YEAR = 2024
"""Grades are generated through 2024, so the 2024 targets have something to measure."""
AWARD_YEAR = 2023
CSTDCS_CAP = 0.15
"""NĐ 91/2017 Art. 9.3: Chiến sĩ thi đua cơ sở for at most 15 % of the unit's Lao động tiên tiến."""

MIN_STAFF = 1000
"""Below this, the 15 % cap leaves too few Chiến sĩ thi đua cơ sở for 87 Chiến sĩ thi đua Bộ Công Thương."""
DEFAULT_STAFF = 3000

BK_BT_THEMATIC = 18
BK_BT_ONE_OFF = 6
BK_BT_CSTDCS_SHARE = 0.6
"""Of the Minister's individual certificates earned by the year's work, the share preferably earned by two
Chiến sĩ thi đua cơ sở titles (the cap permitting); the others by two HTXS years and two initiatives."""

COUNCIL_ID = "hd-tdkt-bct"


class TooSmall(ValueError):
    """The requested size cannot hold the article's 2023 figures."""


@dataclass
class _Draft:
    """A person being generated."""

    index: int
    unit: Unit
    top: Unit
    family: str
    position: str
    is_head: bool = False
    role: str | None = None
    route: str | None = None
    person: Person | None = None

    @property
    def p(self) -> Person:
        """The generated person (set once :meth:`_Builder._people` ran)."""
        assert self.person is not None, "people are generated after the slots and roles"
        return self.person


@dataclass
class _Plan:
    """What the generator accumulates while it builds the history."""

    nominations: list[Nomination] = field(default_factory=list)
    decision_numbers: Counter[str] = field(default_factory=Counter)
    titles: dict[tuple[str, int, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    """(code, year, recipient kind) → subjects granted (or conferred), to plan chains and background."""

    def number(self, series: str, start: int = 100) -> int:
        """The next number in a register (per issuer and year), starting at a plausible value."""
        self.decision_numbers[series] += 1
        n = self.decision_numbers[series]
        return start + 4 * n - n % 3  # increasing, with the gaps other decisions of the register leave


def generate_ministry(
    seed: int = 2024,
    *,
    staff: int = DEFAULT_STAFF,
    history_from: int = 2019,
    background: bool = True,
    verify: bool = True,
) -> Ministry:
    """Generate the ministry.

    - ``staff``: people on the staff (at least :data:`MIN_STAFF`);
    - ``history_from``: first year whose unit-level titles (Lao động tiên tiến, Chiến sĩ thi đua cơ sở) are
      replayed; the chains need 2021 onwards, earlier years only add history (and replay time);
    - ``background``: add earlier years' Ministry rounds and grassroots titles beyond the chains;
    - ``verify``: replay the history through the eligibility engine and raise if any award fails.
    """
    if staff < MIN_STAFF:
        raise TooSmall(f"at least {MIN_STAFF} staff are needed for the article's 2023 figures, not {staff}")
    if not FIRST_YEAR <= history_from <= 2021:
        raise ValueError("history_from must lie between 2017 and 2021 (the chains need 2021 onwards)")
    builder = _Builder(seed, staff, history_from, background)
    ministry = builder.build()
    if verify:
        from .verify import verify_history

        problems = verify_history(ministry)
        if problems:
            raise AssertionError("the generated history fails the eligibility engine:\n" + "\n".join(problems[:20]))
    return ministry


class _Builder:
    def __init__(self, seed: int, staff: int, history_from: int, background: bool) -> None:
        self.seed = seed
        self.staff = staff
        self.history_from = history_from
        self.background = background
        self.plan = _Plan()
        self.units: list[Unit] = []
        self.templates: dict[str, UnitTemplate] = {}
        self.drafts: list[_Draft] = []
        self.grades: dict[tuple[str, int], str] = {}
        self.unit_grades: dict[tuple[str, int], str] = {}
        self.disciplines: list[Discipline] = []
        self.initiatives: list[Initiative] = []
        self.supplements: list[Supplement] = []
        self.attestations: list[AttestationSpec] = []
        self.legacy: list[LegacyAward] = []
        self.roles: dict[str, str] = {}
        self.cstdcs_plan: dict[tuple[str, int], set[str]] = defaultdict(set)
        """(top unit, year) → people planned for Chiến sĩ thi đua cơ sở (chains and background)."""

    def rng(self, purpose: str) -> random.Random:
        """A random stream of its own per purpose: adding a purpose never shifts another's draws."""
        return random.Random(f"tdkt-demo/{self.seed}/{purpose}")

    # ================================================================== build

    def build(self) -> Ministry:
        self._units()
        self._slots()
        self._assign_roles()
        self._people()
        self._grades()
        self._disciplines()
        self._initiatives()
        self._unit_grades()
        self._plan_cstdcs()
        self._fix_ldtt_for_cap()
        self._supplements_and_attestations()
        self._legacy()
        self._history()
        people = [d.person for d in self.drafts if d.person is not None]
        return Ministry(
            seed=self.seed,
            units=self.units,
            people=people,
            grades=dict(sorted(self.grades.items())),
            unit_grades=dict(sorted(self.unit_grades.items())),
            disciplines=self.disciplines,
            initiatives=sorted(self.initiatives, key=lambda i: (i.year, i.initiative_id)),
            supplements=self.supplements,
            attestations=self.attestations,
            legacy_awards=self.legacy,
            nominations=self.plan.nominations,
            roles=self.roles,
        )

    # ================================================================== the tree

    def _units(self) -> None:
        for template, parent_code in flatten(MINISTRY):
            self.templates[template.code] = template
            self.units.append(
                Unit(
                    unit_id=f"u-{template.code.lower()}",
                    code=template.code,
                    name=template.name,
                    kind=template.kind,
                    family=template.family,
                    parent_id=f"u-{parent_code.lower()}" if parent_code else None,
                    established_on=template.established_on,
                    decision_number=template.decision_number,
                )
            )
        self.by_id = {u.unit_id: u for u in self.units}
        self.root = self.units[0]

    def top_of(self, unit: Unit) -> Unit:
        """The unit directly under the Ministry that ``unit`` belongs to; the Ministry for itself."""
        current = unit
        while current.parent_id is not None and current.parent_id != self.root.unit_id:
            current = self.by_id[current.parent_id]
        return current

    # ================================================================== staff slots

    def _slots(self) -> None:
        """How many people each unit has, and their positions (head, deputy, staff)."""
        rng = self.rng("slots")
        weights = {u.unit_id: self.templates[u.code].weight for u in self.units}
        minimum = 3
        spare = self.staff - minimum * len(self.units)
        total = sum(weights.values())
        raw = {k: spare * w / total for k, w in weights.items()}
        counts = {k: minimum + math.floor(v) for k, v in raw.items()}
        # Largest remainders take the people rounding left over.
        leftover = self.staff - sum(counts.values())
        for k in sorted(raw, key=lambda k: (raw[k] - math.floor(raw[k]), k), reverse=True)[:leftover]:
            counts[k] += 1
        index = 0
        for unit in self.units:
            template = self.templates[unit.code]
            family = unit.family
            _, _, table = POSITIONS[family]
            titles, tweights = zip(*table, strict=True)
            for slot in range(counts[unit.unit_id]):
                index += 1
                if slot == 0:
                    position, is_head = head_title(template), True
                elif slot == 1 or (slot == 2 and counts[unit.unit_id] > 25):
                    position, is_head = deputy_title(template), False
                else:
                    position, is_head = rng.choices(titles, weights=tweights, k=1)[0], False
                self.drafts.append(_Draft(index, unit, self.top_of(unit), family, position, is_head))

    # ================================================================== roles of 2023

    def _assign_roles(self) -> None:
        rng = self.rng("roles")
        free = [d for d in self.drafts if d.unit.unit_id != self.root.unit_id]
        rng.shuffle(free)

        def take(count: int, role: str, pool: list[_Draft], route: str | None = None) -> list[_Draft]:
            chosen = [d for d in pool if d.role is None][:count]
            if len(chosen) < count:
                raise TooSmall(f"not enough staff for {count} × {role}: found {len(chosen)}")
            for d in chosen:
                d.role, d.route = role, route
            return chosen

        school = [d for d in free if d.family == "school"]
        lecturers = [d for d in school if "Giảng viên" in d.position or d.position.endswith("khoa")]
        for d in take(2, "NGND", lecturers):
            d.position = "Giảng viên cao cấp"
        for d in take(3, "NGUT", lecturers):
            d.position = rng.choice(("Giảng viên chính", "Giảng viên cao cấp"))
        take(78, "KNC_GD", school)
        # Labour orders go to heads of big units, as they usually do.
        heads = sorted((d for d in free if d.is_head and d.unit.parent_id == self.root.unit_id),
                       key=lambda d: -self._size(d.unit))
        take(3, "HCLD_3", heads[:12])
        take(9, "BK_TTG", free)
        workers = [d for d in free if d.family == "corporation" and not d.is_head]
        hazardous = take(10, "KNC_CT", workers, route="hazardous")
        take(83 - len(hazardous), "KNC_CT", free, route="service")
        self._assign_cstdcs_roles(rng, free)
        market = [d for d in free if d.family == "market" and not d.is_head]
        take(BK_BT_ONE_OFF, "BK_BT", market, route="one_off")
        take(BK_BT_THEMATIC, "BK_BT", sorted(free, key=lambda d: d.top.code not in _NTM_UNITS), route="thematic")
        planned = sum(1 for d in self.drafts if d.role == "BK_BT")
        take(214 - planned, "BK_BT", free, route="htxs")
        for d in self.drafts:
            if d.role is not None:
                self.roles[f"p-{d.index:06d}"] = d.role

    def _size(self, top: Unit) -> int:
        return sum(1 for d in self.drafts if d.top.unit_id == top.unit_id)

    def _assign_cstdcs_roles(self, rng: random.Random, free: list[_Draft]) -> None:
        """Chiến sĩ thi đua Bộ Công Thương and the certificates earned by two CSTĐCS, within each unit's cap.

        The cap is 15 % of the unit's Lao động tiên tiến (everyone graded HTT or better). Room is planned on
        85 % of a unit's staff; in a unit near its cap everyone is graded in 2021–2023 (joined by 2020) and no
        one is disciplined then, and HT grades are raised where needed (:meth:`_fix_ldtt_for_cap`).
        """
        capacity: dict[str, int] = {}
        for top in {d.top.unit_id: d.top for d in self.drafts}.values():
            capacity[top.unit_id] = math.floor(CSTDCS_CAP * math.floor(0.85 * self._size(top)))
        used = Counter(d.top.unit_id for d in self.drafts if d.role == "HCLD_3")
        pool = [d for d in free if d.role is None]

        def place(count: int, role: str, route: str | None) -> int:
            placed = 0
            by_unit: dict[str, list[_Draft]] = defaultdict(list)
            for d in pool:
                if d.role is None:
                    by_unit[d.top.unit_id].append(d)
            while placed < count:
                # The unit with the most room left takes the next one (ties by id: reproducible).
                room = sorted(((capacity[u] - used[u], u) for u, ds in by_unit.items() if ds), reverse=True)
                if not room or room[0][0] <= 0:
                    break
                unit_id = room[0][1]
                d = by_unit[unit_id].pop()
                d.role, d.route = role, route
                used[unit_id] += 1
                placed += 1
            return placed

        placed_bo = place(87, "CSTD_BO", "cstdcs")
        wanted = round(BK_BT_CSTDCS_SHARE * (214 - BK_BT_THEMATIC - BK_BT_ONE_OFF))
        place(wanted, "BK_BT", "cstdcs")
        # Units where late joiners or a discipline could break the cap: there, everyone is graded in
        # 2021–2023 and no one is disciplined then (see _people and _disciplines).
        sizes = {u: self._size(self.by_id[u]) for u in capacity}
        self.chain_units = {u for u, n in used.items() if n > math.floor(CSTDCS_CAP * math.floor(0.7 * sizes[u]))}
        if placed_bo < 87:
            raise TooSmall("the 15 % cap on Chiến sĩ thi đua cơ sở leaves room for fewer than 87 CSTĐ Bộ")

    # ================================================================== people

    def _people(self) -> None:
        rng = self.rng("people")
        female_share = {"school": 0.56, "admin": 0.5, "market": 0.3, "institute": 0.45, "corporation": 0.36,
                        "press": 0.5, "union": 0.6, "leadership": 0.4}
        for d in self.drafts:
            female = rng.random() < female_share[d.family]
            if d.role in ("HCLD_3",):
                female = rng.random() < 0.3
            role_key = {"KNC_CT": "KNC_CT/hazardous" if d.route == "hazardous" else "KNC_CT"}.get(d.role or "", d.role)
            joined_by = {"BK_TTG": 2015, "HCLD_3": 2008, "CSTD_BO": 2019, "BK_BT": 2020}.get(d.role or "")
            if d.is_head and joined_by is None:
                joined_by = 2012  # a head has years behind them
            if d.top.unit_id in self.chain_units:
                # Everyone of a unit with planned CSTĐCS is graded in 2021–2023: the cap counts them all.
                joined_by = min(joined_by or 2020, 2020)
            c = career(rng, d.family, female, role_key, joined_by=joined_by)
            category = STAFF_CATEGORY[d.family]
            if d.family == "corporation" and d.position in ("Chuyên viên",):
                category = "nguoi_lao_dong"
            if d.family in ("admin", "market") and d.position == "Nhân viên":
                category = "nguoi_lao_dong"  # contract staff (hợp đồng lao động) of a State body
            d.person = Person(
                person_id=f"p-{d.index:06d}",
                full_name=names.full_name(rng, female),
                sex="female" if female else "male",
                date_of_birth=c.date_of_birth,
                sector_joined_on=c.sector_joined_on,
                unit_id=d.unit.unit_id,
                position=d.position,
                staff_category=category,
                union_member=rng.random() < 0.93,
                education_joined_on=c.education_joined_on,
                teaching_years=c.teaching_years,
                hazardous_service_years=c.hazardous_service_years,
            )
        self.people = {d.p.person_id: d for d in self.drafts if d.person}

    # ================================================================== grades

    @staticmethod
    def first_graded_year(person: Person) -> int:
        """Graded from the year of joining if they joined by June, else from the next year."""
        joined = person.sector_joined_on
        return joined.year if joined.month <= 6 else joined.year + 1

    def _grades(self) -> None:
        rng = self.rng("grades")
        for d in self.drafts:
            p = d.person
            assert p is not None
            for year in range(max(FIRST_YEAR, self.first_graded_year(p)), LAST_GRADED_YEAR + 1):
                self.grades[(p.person_id, year)] = self._grade_for(rng, d, year)

    def _grade_for(self, rng: random.Random, d: _Draft, year: int) -> str:
        required = _REQUIRED.get((d.role or "", d.route or ""), {}).get(year)
        if required == "HTXS":
            return "HTXS"
        r = rng.random()
        if year == LAST_GRADED_YEAR:
            # 2024: the Ministry reached its target (≥ 95 % HTT or better) with a margin.
            grade = "HTXS" if r < 0.18 else "HTT" if r < 0.975 else "HT"
        elif d.is_head:
            grade = "HTXS" if r < 0.35 else "HTT" if r < 0.97 else "HT"
        else:
            grade = "HTXS" if r < 0.14 else "HTT" if r < 0.90 else "HT" if r < 0.985 else "KHT"
        if required == "HTT+" and grade in ("HT", "KHT"):
            grade = "HTT"
        return grade

    # ================================================================== discipline

    def _disciplines(self) -> None:
        """A few reprimands and warnings a year, on people with no 2023 award planned; their grade that
        year is "not completed" (NĐ 90/2020: disciplined in the year)."""
        rng = self.rng("discipline")
        reasons = (
            "Vi phạm quy chế làm việc của cơ quan",
            "Chậm trễ, thiếu trách nhiệm trong thực hiện nhiệm vụ được giao",
            "Vi phạm quy định về thời giờ làm việc",
            "Vi phạm quy định về quản lý tài chính, tài sản công",
        )
        candidates = [d for d in self.drafts if d.role is None and not d.is_head]
        number = 0
        for year in range(FIRST_YEAR, AWARD_YEAR + 1):
            # Not in 2021–2023 in a unit with planned CSTĐCS: its cap counts every member as LĐTT.
            pool = [d for d in candidates if year < 2021 or d.top.unit_id not in self.chain_units]
            for d in rng.sample(pool, k=max(1, len(candidates) // 250)):
                p = d.person
                assert p is not None
                if (p.person_id, year) not in self.grades or any(x.person_id == p.person_id for x in self.disciplines):
                    continue
                number += 1
                form = rng.choices(("khien_trach", "canh_cao", "ha_bac_luong"), weights=(70, 25, 5), k=1)[0]
                decided = date(year, rng.randint(3, 10), rng.randint(1, 28))
                self.disciplines.append(
                    Discipline(
                        discipline_id=f"kl-{year}-{number:04d}",
                        person_id=p.person_id,
                        form=form,
                        reason=rng.choice(reasons),
                        decision_number=f"{rng.randint(10, 400)}/QĐ-{d.top.code}",
                        decided_on=decided,
                        ends_on=decided + timedelta(days=364),
                    )
                )
                self.grades[(p.person_id, year)] = "KHT"
                d.route = "disciplined"

    # ================================================================== initiatives

    def _initiatives(self) -> None:
        rng = self.rng("initiatives")
        counter: Counter[int] = Counter()

        def add(year: int, authors: list[_Draft], level: str = "co_so", kind: str = "sang_kien") -> Initiative:
            counter[year] += 1
            lead = authors[0]
            decided = date(year, rng.randint(10, 12), rng.randint(1, 28))
            issuer = "BCT" if level == "bo" else lead.top.code
            initiative = Initiative(
                initiative_id=f"sk-{year}-{counter[year]:05d}",
                kind=kind,
                level=level,
                year=year,
                title=_initiative_title(rng, lead.family, kind),
                decision_number=f"{rng.randint(5, 300)}/QĐ-{'HĐKH' if kind == 'de_tai' else 'HĐSK'}-{issuer}",
                decided_on=decided,
                author_ids=tuple(a.p.person_id for a in authors if a.person),
                unit_id=lead.unit.unit_id,
            )
            self.initiatives.append(initiative)
            return initiative

        for d in self.drafts:
            chain = _CHAIN_INITIATIVES.get((d.role or "", d.route or ""))
            if not chain:
                continue
            for year, level in chain:
                kind = "de_tai" if level == "bo" and d.family in ("institute", "school") else "sang_kien"
                add(year, [d], level, kind)
        # Background: about one in ten of the others has a grassroots initiative a year (some co-authored),
        # a few research works in institutes and schools, and now and then a ministry-level one.
        others = [d for d in self.drafts if d.role not in _CHAIN_ROLES and d.route != "disciplined"]
        by_top: dict[str, list[_Draft]] = defaultdict(list)
        for d in others:
            by_top[d.top.unit_id].append(d)
        for year in range(FIRST_YEAR, AWARD_YEAR + 1):
            for members in by_top.values():
                graded = [d for d in members if (d.p.person_id, year) in self.grades]
                for d in rng.sample(graded, k=round(len(graded) * 0.09)):
                    others = [x for x in rng.sample(graded, k=min(len(graded), 3)) if x is not d]
                    co = others[: rng.choice((0, 0, 1, 2))]
                    kind = "de_tai" if d.family in ("institute", "school") and rng.random() < 0.3 else "sang_kien"
                    level = "bo" if rng.random() < 0.04 else "co_so"
                    add(year, [d, *co], level, kind)

    # ================================================================== unit grades

    def _unit_grades(self) -> None:
        rng = self.rng("unit-grades")
        candidates = [u for u in self.units if u.unit_id != self.root.unit_id]
        # "đặc biệt chú ý khen thưởng những tập thể nhỏ": small collectives first among the 68.
        small = [u for u in candidates if u.parent_id != self.root.unit_id]
        large = [u for u in candidates if u.parent_id == self.root.unit_id]
        rng.shuffle(small)
        rng.shuffle(large)
        hcld_unit = next(u for u in large if u.family == "school")
        bk_units = [u for u in small + large if u is not hcld_unit][:68]
        if len(bk_units) < 68:
            raise TooSmall("fewer than 68 collectives for the Minister's certificates")
        for u in bk_units:
            self.roles[u.unit_id] = "BK_BT/collective"
        self.roles[hcld_unit.unit_id] = "HCLD_3/collective"
        self.hcld_unit = hcld_unit
        for u in self.units:
            for year in range(max(FIRST_YEAR, u.established_on.year), LAST_GRADED_YEAR + 1):
                r = rng.random()
                grade = "HTXS" if r < 0.4 else "HTT" if r < 0.95 else "HT"
                if u.unit_id in self.roles and self.roles[u.unit_id] == "BK_BT/collective" and year in (2022, 2023):
                    grade = "HTXS"
                if u is hcld_unit and 2019 <= year <= 2023:
                    grade = "HTXS" if year in (2021, 2023) else "HTT"
                if year == LAST_GRADED_YEAR and grade == "HT":
                    grade = "HTT"  # 2024: every unit HTT or better — the first target was met
                self.unit_grades[(u.unit_id, year)] = grade

    # ================================================================== CSTĐCS plan and the 15 % cap

    def _plan_cstdcs(self) -> None:
        """Who holds Chiến sĩ thi đua cơ sở each year: the chains, then (background) others with an
        initiative of the year, within half of the room the cap leaves."""
        for d in self.drafts:
            for year in _CHAIN_CSTDCS.get((d.role or "", d.route or ""), ()):
                self.cstdcs_plan[(d.top.unit_id, year)].add(d.p.person_id)
        if not self.background:
            return
        rng = self.rng("background-cstdcs")
        authors: dict[int, set[str]] = defaultdict(set)
        for i in self.initiatives:
            for a in i.author_ids:
                authors[i.year].add(a)
        for year in range(self.history_from, AWARD_YEAR + 1):
            for top_id in sorted({d.top.unit_id for d in self.drafts}):
                members = [d for d in self.drafts if d.top.unit_id == top_id]
                ldtt = [d for d in members if self._is_ldtt(d, year)]
                room = math.floor(CSTDCS_CAP * len(ldtt)) - len(self.cstdcs_plan[(top_id, year)])
                eligible = [d for d in ldtt if d.role not in _CHAIN_ROLES
                            and d.p.person_id in authors[year]]
                for d in rng.sample(eligible, k=max(0, min(len(eligible), room // 2))):
                    self.cstdcs_plan[(top_id, year)].add(d.p.person_id)

    def _is_ldtt(self, d: _Draft, year: int) -> bool:
        # Not for someone recruited less than 10 months (6 from 2024) before the year end (issue #19.10).
        months = 10 if year < 2024 else 6
        joined = d.p.sector_joined_on
        reached = joined.year * 12 + joined.month - 1 + months  # month index of the day the months are worked
        next_january = (year + 1) * 12
        recruited_in_time = reached < next_january or (reached == next_january and joined.day == 1)
        return recruited_in_time and self.grades.get((d.p.person_id, year)) in ("HTXS", "HTT")

    def _fix_ldtt_for_cap(self) -> None:
        """Where a unit's planned CSTĐCS exceed 15 % of its LĐTT, raise some HT grades to HTT (never a
        disciplined year): the generated ministry is one where the cap holds."""
        rng = self.rng("cap")
        for (top_id, year), planned in sorted(self.cstdcs_plan.items()):
            if year < self.history_from:
                continue
            members = [d for d in self.drafts if d.top.unit_id == top_id]
            needed = math.ceil(len(planned) / CSTDCS_CAP)
            ldtt = sum(self._is_ldtt(d, year) for d in members)
            raisable = [d for d in members if self.grades.get((d.p.person_id, year)) == "HT"]
            rng.shuffle(raisable)
            while ldtt < needed and raisable:
                d = raisable.pop()
                self.grades[(d.p.person_id, year)] = "HTT"
                ldtt += 1
            if ldtt < needed:
                raise TooSmall(f"unit {top_id}: {len(planned)} CSTĐCS in {year} exceed 15 % of {ldtt} LĐTT")

    # ================================================================== files the office records

    def _supplements_and_attestations(self) -> None:
        for d in self.drafts:
            p = d.person
            assert p is not None
            if d.role in ("KNC_GD", "NGUT", "NGND"):
                self.supplements.append(Supplement(
                    person_id=p.person_id, recorded_on=date(2023, 5, 10) if d.role != "KNC_GD" else date(2023, 9, 5),
                    education_joined_on=p.education_joined_on, teaching_years=p.teaching_years,
                    reference=f"Hồ sơ đề nghị của {d.top.name}",
                ))
            elif d.role == "KNC_CT" and d.route == "hazardous":
                self.supplements.append(Supplement(
                    person_id=p.person_id, recorded_on=date(2024, 1, 8),
                    hazardous_service_years=p.hazardous_service_years,
                    reference=f"Xác nhận thời gian làm nghề nặng nhọc, độc hại của {d.top.name}",
                ))
            if d.role == "BK_BT" and d.route in ("thematic", "one_off"):
                key = "outstanding_in_movement" if d.route == "thematic" else "one_off_achievement"
                self.attestations.append(AttestationSpec(
                    "individual", p.person_id, key, AWARD_YEAR,
                    f"Tờ trình {self.plan.number('ttr-' + d.top.code)}/TTr-{d.top.code}",
                ))

    def _legacy(self) -> None:
        """The Prime Minister's certificates of 2016 (and the Minister's before them) the Labour Orders of
        2023 rest on, recorded from the files: no rule this system holds covers those years."""
        rng = self.rng("legacy")
        for d in self.drafts:
            if d.role != "HCLD_3":
                continue
            pid = d.p.person_id
            self.legacy.append(LegacyAward("individual", pid, "BK_BT", 2010, "minister",
                                           f"{rng.randint(100, 999)}/QĐ-BCT", date(2011, 2, rng.randint(1, 27))))
            self.legacy.append(LegacyAward("individual", pid, "BK_TTG", 2016, "prime_minister",
                                           f"{rng.randint(100, 999)}/QĐ-TTg", date(2017, 5, rng.randint(1, 27))))
        u = self.hcld_unit.unit_id
        self.legacy.append(LegacyAward("collective", u, "BK_BT", 2010, "minister",
                                       f"{rng.randint(100, 999)}/QĐ-BCT", date(2011, 2, 15)))
        self.legacy.append(LegacyAward("collective", u, "BK_TTG", 2015, "prime_minister",
                                       f"{rng.randint(100, 999)}/QĐ-TTg", date(2016, 4, 12)))

    # ================================================================== the award history

    def _history(self) -> None:
        for year in range(FIRST_YEAR, AWARD_YEAR + 1):
            if year >= self.history_from:
                self._unit_titles(year)
            self._ministry_round(year)

    def _grant(self, authority: str, issuer: str, day: date, signer: str) -> Grant:
        number = self.plan.number(f"{issuer}-{day.year}")
        return Grant(authority, f"{number}/QĐ-{issuer}", day, signer)

    def _nominate(self, *, code: str, year: int, unit: Unit, subjects: list[tuple[str, str]], level: str,
                  submitted_on: date, category: str = "merit", grant: Grant | None = None,
                  forward: Forward | None = None, voted_on: date | None = None, notice: Notice | None = None,
                  movement_id: str | None = None, phase: int = 1, tag: str = "") -> None:
        if not subjects:
            return
        for part, chunk in enumerate(_chunks(subjects, 500)):
            suffix = f"-{part + 1}" if len(subjects) > 500 else ""
            nomination_id = f"dn-{year}-{code.lower().replace('_', '')}{tag}-{unit.code.lower()}{suffix}"
            self.plan.nominations.append(Nomination(
                nomination_id=nomination_id, code=code, year=year, category=category,
                submitting_unit_id=unit.unit_id,
                candidates=tuple(Candidate(f"c-{i + 1}", kind, sid) for i, (kind, sid) in enumerate(chunk)),
                submitted_on=submitted_on, level=level, notice=notice, voted_on=voted_on, grant=grant,
                forward=forward, movement_id=movement_id, phase=phase,
            ))
            for kind, sid in chunk:
                self.plan.titles[(code, year, kind)].add(sid)

    def _head_name(self, top: Unit) -> str:
        head = next(d for d in self.drafts if d.unit.unit_id == top.unit_id and d.is_head)
        return f"{head.position} {head.p.full_name}"

    def _unit_titles(self, year: int) -> None:
        """Lao động tiên tiến for everyone graded HTT or better, then the planned Chiến sĩ thi đua cơ sở;
        decided by the head of each unit directly under the Ministry for all its staff."""
        # NĐ 91/2017: no LĐTT while a reprimand or heavier is in force, also in the year it runs into
        disciplined = {
            (x.person_id, y) for x in self.disciplines for y in range(x.decided_on.year, x.ends_on.year + 1)
        }
        tops = [u for u in self.units if u.parent_id == self.root.unit_id or u.parent_id is None]
        for top in tops:
            members = [d for d in self.drafts if d.top.unit_id == top.unit_id]
            ldtt = [("individual", d.p.person_id) for d in members
                    if self._is_ldtt(d, year) and (d.p.person_id, year) not in disciplined]
            signer = self._head_name(top)
            self._nominate(code="LDTT", year=year, unit=top, subjects=ldtt, level="unit", phase=0,
                           submitted_on=date(year, 12, 18),
                           grant=self._grant("unit_head", top.code, date(year, 12, 21), signer))
            cstdcs = sorted(self.cstdcs_plan.get((top.unit_id, year), set()))
            self._nominate(code="CSTDCS", year=year, unit=top, subjects=[("individual", p) for p in cstdcs],
                           level="unit", phase=0, submitted_on=date(year, 12, 21),
                           grant=self._grant("unit_head", top.code, date(year, 12, 22), signer))

    def _ministry_round(self, year: int) -> None:
        """The Minister's decisions and the Ministry's proposals for an achievement year."""
        by_role: dict[tuple[str, str | None], list[_Draft]] = defaultdict(list)
        for d in self.drafts:
            by_role[(d.role or "", d.route)].append(d)
        next_year = year + 1
        submitted, voted, decided = date(next_year, 1, 8), date(next_year, 1, 15), date(next_year, 1, 19)
        signer = MINISTER if decided >= date(2021, 4, 8) else "Bộ trưởng Trần Tuấn Anh"

        def per_top(drafts: list[_Draft]) -> dict[str, list[_Draft]]:
            grouped: dict[str, list[_Draft]] = defaultdict(list)
            for d in sorted(drafts, key=lambda d: d.index):
                grouped[d.top.unit_id].append(d)
            return grouped

        def minister_grants(code: str, drafts: list[_Draft], *, category: str = "merit", vote: bool = True,
                            day_submitted: date = submitted, day_voted: date = voted, day_decided: date = decided,
                            movement_id: str | None = None, tag: str = "") -> None:
            for top_id, group in sorted(per_top(drafts).items()):
                self._nominate(
                    code=code, year=year, unit=self.by_id[top_id], category=category, level="ministry",
                    subjects=[("individual", d.p.person_id) for d in group],
                    submitted_on=day_submitted, voted_on=day_voted if vote else None, movement_id=movement_id,
                    grant=self._grant("minister", "BCT", day_decided, signer), tag=tag,
                )

        if year == 2018:
            # Bằng khen Bộ trưởng 2018 of those proposed for the Prime Minister's certificate in 2023.
            minister_grants("BK_BT", by_role[("BK_TTG", None)])
        if year == 2020:
            # Nhà giáo ưu tú 2020 of the two Nhà giáo nhân dân of 2023 (conferred by the President on 20/11).
            self._propose("NGUT", year, by_role[("NGND", None)], notice_from=date(2020, 5, 11),
                          voted=date(2020, 6, 4), forwarded=date(2020, 6, 19), decided=date(2020, 11, 13))
        if self.background and self.history_from <= year < AWARD_YEAR:
            self._background_round(year, minister_grants, submitted, voted, decided, signer)
        if year != AWARD_YEAR:
            return
        # ---------------------------------------------------------------- 2023: the article's figures
        # One-off certificates come first, during the year (market surveillance operations).
        minister_grants("BK_BT", by_role[("BK_BT", "one_off")], category="one_off", vote=False,
                        day_submitted=date(2023, 9, 12), day_decided=date(2023, 9, 20), tag="-dx")
        self._propose("NGUT", year, by_role[("NGUT", None)], notice_from=date(2023, 5, 15),
                      voted=date(2023, 6, 8), forwarded=date(2023, 6, 20), decided=date(2023, 11, 15))
        self._propose("NGND", year, by_role[("NGND", None)], notice_from=date(2023, 5, 15),
                      voted=date(2023, 6, 8), forwarded=date(2023, 6, 20), decided=date(2023, 11, 15))
        self._propose("KNC_GD", year, by_role[("KNC_GD", None)], voted=date(2023, 9, 28),
                      forwarded=date(2023, 10, 6), decided=date(2023, 11, 10), submitted=date(2023, 9, 15),
                      category="long_service")
        # Thematic certificates at the movement's 2023 review, then the year-end round.
        minister_grants("BK_BT", by_role[("BK_BT", "thematic")], category="thematic", movement_id=THEMATIC_MOVEMENT,
                        day_submitted=date(2023, 12, 4), day_voted=date(2023, 12, 12), day_decided=date(2023, 12, 15),
                        tag="-cd")
        merit = [d for route in ("cstdcs", "htxs") for d in by_role[("BK_BT", route)]]
        minister_grants("BK_BT", merit)
        collectives = [u for u in self.units if self.roles.get(u.unit_id) == "BK_BT/collective"]
        self._unit_certificates(year, collectives, submitted, voted, decided, signer)
        minister_grants("CSTD_BO", by_role[("CSTD_BO", "cstdcs")])
        knc_ct = by_role[("KNC_CT", "service")] + by_role[("KNC_CT", "hazardous")]
        minister_grants("KNC_CT", knc_ct, category="long_service")
        self._propose("BK_TTG", year, by_role[("BK_TTG", None)], voted=voted, forwarded=date(2024, 1, 22),
                      decided=date(2024, 4, 10), submitted=submitted)
        self._propose("HCLD_3", year, by_role[("HCLD_3", None)], notice_from=date(2023, 12, 18), voted=voted,
                      forwarded=date(2024, 1, 22), decided=date(2024, 8, 28), submitted=date(2023, 12, 15),
                      collectives=[self.hcld_unit])

    def _propose(self, code: str, year: int, drafts: list[_Draft], *, voted: date, forwarded: date, decided: date,
                 notice_from: date | None = None, submitted: date | None = None, category: str = "merit",
                 collectives: list[Unit] | None = None) -> None:
        """A proposal upward: submitted by each unit, noticed where the law says, voted, forwarded, decided."""
        to_authority = TO_AUTHORITY[code]
        body = {"president": "Chủ tịch nước", "prime_minister": "Thủ tướng Chính phủ",
                "other_ministry": "Bộ Giáo dục và Đào tạo"}[to_authority]
        issuer = {"president": "CTN", "prime_minister": "TTg", "other_ministry": "BGDĐT"}[to_authority]
        signer = {"president": "Chủ tịch nước", "prime_minister": "Thủ tướng Chính phủ",
                  "other_ministry": "Bộ trưởng Bộ Giáo dục và Đào tạo"}[to_authority]
        notice = None
        if notice_from is not None:
            closes = _add_working_days(notice_from, 10)
            notice = Notice(opened_on=notice_from, closes_on=closes, closed_on=closes)
        day_submitted = submitted or (notice_from - timedelta(days=7) if notice_from else voted - timedelta(days=7))
        groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for d in sorted(drafts, key=lambda d: d.index):
            groups[d.top.unit_id].append(("individual", d.p.person_id))
        for u in collectives or ():
            groups[self.top_of(u).unit_id].append(("collective", u.unit_id))
        decision = self.plan.number(f"{issuer}-{decided.year}", start=1000)
        for top_id, subjects in sorted(groups.items()):
            forward = Forward(
                submission_number=f"{self.plan.number(f'TTr-{forwarded.year}')}/TTr-BCT",
                forwarded_on=forwarded, to_authority=to_authority, to_body=body, decided_by=to_authority,
                decision_number=f"{decision}/QĐ-{issuer}", decision_date=decided, signer=signer,
            )
            self._nominate(code=code, year=year, unit=self.by_id[top_id], subjects=subjects, level="upward",
                           submitted_on=day_submitted, voted_on=voted, notice=notice, forward=forward,
                           category=category)

    def _background_round(self, year: int, minister_grants: Callable[..., None], submitted: date, voted: date,
                          decided: date, signer: str) -> None:
        """Earlier years' Ministry rounds, for people and units the rules make eligible.

        - Bằng khen Bộ trưởng to about four in ten of those with Chiến sĩ thi đua cơ sở in Y-1 and Y;
        - Kỷ niệm chương ngành Công Thương (from 2018) to a few with the service, never to those planned
          for it in 2023, never twice;
        - Bằng khen Bộ trưởng to about a quarter of the units graded HTXS in Y-1 and Y.
        """
        rng = self.rng(f"background-{year}")
        twice = self.plan.titles[("CSTDCS", year - 1, "individual")] & self.plan.titles[("CSTDCS", year, "individual")]
        chain_people = {pid for pid, role in self.roles.items() if role in _CHAIN_ROLES}
        bk = sorted(twice - chain_people)
        chosen = [self.people[p] for p in rng.sample(bk, k=round(len(bk) * 0.4))]
        minister_grants("BK_BT", chosen)
        if year >= 2018:
            held = set().union(*(self.plan.titles[("KNC_CT", y, "individual")] for y in range(2017, year)))
            disciplined = {x.person_id for x in self.disciplines}
            excluded = held | disciplined
            eligible = [
                d for d in self.drafts
                if d.role is None and d.p.person_id not in excluded
                and _service_years(d.p.sector_joined_on, year) >= (20 if d.p.sex == "male" else 15) + 1
            ]
            minister_grants("KNC_CT", rng.sample(eligible, k=min(len(eligible), max(1, len(eligible) // 25))),
                            category="long_service")
        units = [u for u in self.units if u.unit_id != self.root.unit_id
                 and self.unit_grades.get((u.unit_id, year - 1)) == "HTXS"
                 and self.unit_grades.get((u.unit_id, year)) == "HTXS"]
        chosen_units = rng.sample(units, k=round(len(units) * 0.25))
        self._unit_certificates(year, chosen_units, submitted, voted, decided, signer)

    def _unit_certificates(self, year: int, units: list[Unit], submitted: date, voted: date, decided: date,
                           signer: str) -> None:
        """The Minister's certificates to collectives: one nomination per top-level unit, voted and granted."""
        by_top: dict[str, list[Unit]] = defaultdict(list)
        for u in units:
            by_top[self.top_of(u).unit_id].append(u)
        for top_id, group in sorted(by_top.items()):
            self._nominate(code="BK_BT", year=year, unit=self.by_id[top_id], level="ministry",
                           subjects=[("collective", u.unit_id) for u in sorted(group, key=lambda u: u.code)],
                           submitted_on=submitted, voted_on=voted, tag="-tt",
                           grant=self._grant("minister", "BCT", decided, signer))


# ====================================================================== rule data of the plan

_CHAIN_ROLES = frozenset({"CSTD_BO", "BK_BT", "BK_TTG", "HCLD_3"})
"""Roles whose awards read grades, titles or initiatives: their records are exactly the plan's."""

_REQUIRED: dict[tuple[str, str], dict[int, str]] = {
    ("CSTD_BO", "cstdcs"): {2021: "HTT+", 2022: "HTT+", 2023: "HTT+"},
    ("BK_BT", "cstdcs"): {2022: "HTT+", 2023: "HTT+"},
    ("BK_BT", "htxs"): {2022: "HTXS", 2023: "HTXS"},
    ("BK_BT", "thematic"): {2023: "HTT+"},
    ("BK_BT", "one_off"): {2023: "HTT+"},
    ("BK_TTG", ""): {y: "HTXS" for y in range(2017, 2024)},
    ("HCLD_3", ""): {2019: "HTT+", 2020: "HTT+", 2021: "HTXS", 2022: "HTT+", 2023: "HTXS"},
}
"""Grades a role needs, by year: HTXS, or HTT or better."""

_CHAIN_INITIATIVES: dict[tuple[str, str], tuple[tuple[int, str], ...]] = {
    ("CSTD_BO", "cstdcs"): ((2021, "co_so"), (2022, "co_so"), (2022, "bo"), (2023, "co_so")),
    ("BK_BT", "cstdcs"): ((2022, "co_so"), (2023, "co_so")),
    ("BK_BT", "htxs"): ((2022, "co_so"), (2023, "co_so")),
    ("BK_TTG", ""): ((2017, "co_so"), (2018, "co_so"), *((y, "co_so") for y in range(2019, 2024))),
    ("HCLD_3", ""): ((2021, "co_so"), (2022, "co_so"), (2023, "co_so")),
}
"""Initiatives a role's chain uses: one per Chiến sĩ thi đua cơ sở, two for an HTXS-route certificate, five
for the Prime Minister's certificate, a ministry-level one for Chiến sĩ thi đua Bộ Công Thương."""

_CHAIN_CSTDCS: dict[tuple[str, str], tuple[int, ...]] = {
    ("CSTD_BO", "cstdcs"): (2021, 2022, 2023),
    ("BK_BT", "cstdcs"): (2022, 2023),
    ("HCLD_3", ""): (2021, 2022, 2023),
}

_NTM_UNITS = frozenset({"CCTDP", "CDL", "CXTTM", "VTTTN", "CCN", "VINATABA", "MIE", "VINAPACO", "DHDL"})
"""Units most engaged in the rural-development movement (khuyến công, rural grid, trade promotion)."""


def _initiative_title(rng: random.Random, family: str, kind: str) -> str:
    subjects = _TOPICS.get(family, _TOPICS["admin"])
    verb = rng.choice(("Giải pháp", "Sáng kiến", "Đổi mới quy trình")) if kind == "sang_kien" else "Nghiên cứu"
    return f"{verb} {rng.choice(subjects)}"


_TOPICS: dict[str, tuple[str, ...]] = {
    "admin": ("số hóa hồ sơ, tài liệu lưu trữ", "rút ngắn thời gian giải quyết thủ tục hành chính",
              "ứng dụng chữ ký số trong luân chuyển văn bản", "nâng cao chất lượng tham mưu xây dựng văn bản",
              "quản lý dữ liệu thống kê ngành Công Thương"),
    "leadership": ("tổng hợp báo cáo chỉ đạo điều hành", "theo dõi nhiệm vụ được giao trên môi trường số"),
    "market": ("nhận diện hàng giả trên sàn thương mại điện tử", "phối hợp kiểm tra liên ngành chống buôn lậu",
               "quản lý hồ sơ vụ việc vi phạm hành chính"),
    "institute": ("xử lý nước thải công nghiệp", "tiết kiệm năng lượng trong sản xuất", "vật liệu xúc tác mới",
                  "cải tiến thiết bị đo lường công nghiệp"),
    "school": ("đổi mới phương pháp giảng dạy thực hành", "xây dựng học liệu điện tử",
               "ứng dụng mô phỏng trong đào tạo kỹ thuật", "nâng cao chất lượng thực tập doanh nghiệp"),
    "corporation": ("cải tiến dây chuyền sản xuất", "giảm tiêu hao vật tư", "bảo trì thiết bị theo tình trạng",
                    "an toàn lao động tại phân xưởng"),
    "press": ("tổ chức nội dung đa phương tiện", "quy trình biên tập tin bài trên nền tảng số"),
    "union": ("chăm lo đời sống đoàn viên", "tổ chức phong trào văn hóa, thể thao"),
}


def _chunks(items: list[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _add_working_days(start: date, days: int) -> date:
    """The day the ``days``-th working day counted from ``start`` is complete (no holiday list: illustrative)."""
    current, counted = start, 0
    while True:
        if current.weekday() < 5:
            counted += 1
            if counted == days:
                return current
        current += timedelta(days=1)


def _service_years(joined: date, year: int) -> float:
    return (date(year, 12, 31) - joined).days / 365.25


__all__ = ["DEFAULT_STAFF", "MIN_STAFF", "TooSmall", "generate_ministry"]
