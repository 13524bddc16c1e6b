"""Terms the awards domain adds to the shared vocabulary (``tdkt_contracts.vocabulary``).

Values are short stable codes used in the catalogue YAML and in results;
``label_vi`` is the Vietnamese term.
"""

from __future__ import annotations

from tdkt_contracts.vocabulary import Grade, Labelled, Level


class AwardKind(Labelled):
    """Emulation title or award form; an initiative used for one cannot serve the other."""

    TITLE = "title", "Danh hiệu thi đua"
    AWARD_FORM = "award_form", "Hình thức khen thưởng"


class CommendationCategory(Labelled):
    """Kind of commendation; thematic and one-off ones are no evidence for merit awards."""

    MERIT = "merit", "Khen thưởng theo công trạng và thành tích"
    THEMATIC = "thematic", "Khen thưởng theo chuyên đề"
    ONE_OFF = "one_off", "Khen thưởng đột xuất"
    LONG_SERVICE = "long_service", "Khen thưởng quá trình cống hiến"
    FOREIGN = "foreign", "Khen thưởng đối ngoại"


class Recurrence(Labelled):
    """How often a recipient can receive it; the forecast projects only annual titles."""

    ANNUAL = "annual", "Hằng năm"
    MULTI_YEAR = "multi_year", "Sau nhiều năm thành tích"
    CYCLE = "cycle", "Theo đợt xét tặng định kỳ"
    ONCE = "once", "Một lần"
    REPEATABLE = "repeatable", "Nhiều lần, mỗi thành tích một lần"


class DecisionRoute(Labelled):
    """Whether the Ministry decides itself or must propose (trình) upward."""

    UNIT_DECIDES = "unit_decides", "Thủ trưởng đơn vị quyết định"
    MINISTRY_DECIDES = "ministry_decides", "Bộ trưởng quyết định"
    PROPOSE_UPWARD = "propose_upward", "Bộ trình cấp có thẩm quyền"


class Confidence(Labelled):
    """Confidence mark of rules.md: [C] legal text, [S] secondary source, [U] unconfirmed."""

    CONFIRMED = "C", "Đã đối chiếu văn bản pháp luật"
    SECONDARY = "S", "Theo nguồn thứ cấp"
    UNCONFIRMED = "U", "Chưa được xác nhận"


class Status(Labelled):
    """Result of one criterion."""

    PASSED = "passed", "Đạt"
    FAILED = "failed", "Không đạt"
    UNKNOWN = "unknown", "Chưa đủ dữ liệu"


class Outcome(Labelled):
    """Result of a whole assessment."""

    ELIGIBLE = "eligible", "Đủ điều kiện"
    INELIGIBLE = "ineligible", "Không đủ điều kiện"
    UNDETERMINED = "undetermined", "Chưa xác định được (thiếu dữ liệu)"


class HoldKind(Labelled):
    """Why an award must wait (NĐ 152/2025 Art. 4.4)."""

    DISCIPLINE_REVIEW = "discipline_review", "Đang xem xét thi hành kỷ luật"
    INVESTIGATION = "investigation", "Đang điều tra, thanh tra, kiểm tra"
    COMPLAINT = "complaint", "Đang xác minh đơn thư khiếu nại, tố cáo, phản ánh"


class LeaderPosition(Labelled):
    """Leadership posts that count for long-service awards, highest first."""

    DEPUTY_MINISTER = "thu_truong", "Thứ trưởng và tương đương"
    GENERAL_DIRECTOR = "tong_cuc_truong", "Tổng cục trưởng và tương đương"
    DEPUTY_GENERAL_DIRECTOR = "pho_tong_cuc_truong", "Phó Tổng cục trưởng và tương đương"
    DIRECTOR = "cuc_vu_truong", "Cục trưởng, Vụ trưởng và tương đương"
    DEPUTY_DIRECTOR = "pho_cuc_vu_truong", "Phó Cục trưởng, Phó Vụ trưởng và tương đương"
    HEAD_OF_DIVISION = "truong_phong", "Trưởng phòng và tương đương"
    DEPUTY_HEAD_OF_DIVISION = "pho_truong_phong", "Phó Trưởng phòng và tương đương"

    @property
    def rank(self) -> int:
        """0 for the highest post; a smaller rank is a higher post."""
        return list(LeaderPosition).index(self)


class DisciplineScope(Labelled):
    """Period a no-discipline criterion looks at."""

    YEARS = "years", "Trong các năm xét"
    SERVICE = "service", "Trong thời gian công tác được tính"
    LEADER_TENURE = "leader_tenure", "Trong thời gian giữ chức vụ lãnh đạo được tính"


class ServiceBasis(Labelled):
    """Which start date long service is counted from."""

    SECTOR = "sector", "Ngày vào ngành Công Thương"
    EDUCATION = "education", "Ngày vào ngành giáo dục"


class IssuerKind(Labelled):
    """Who signs a unit-level award (Law 2022 Art. 75, 80): the kinds of head a catalogue rule may name."""

    LEGAL_ENTITY_HEAD = "legal_entity_head", "Thủ trưởng cơ quan, đơn vị có tư cách pháp nhân"
    ENTERPRISE_DIRECTOR = "enterprise_director", "Giám đốc, Tổng giám đốc doanh nghiệp"
    BOARD_CHAIR = "board_chair", "Chủ tịch Hội đồng quản trị, Chủ tịch Hội đồng thành viên"


class AbsenceKind(Labelled):
    """Why a person was away from work; a rule says which kinds count as working time (NĐ 152/2025 Art. 4.5)."""

    MATERNITY = "maternity", "Nghỉ thai sản"
    TRAINING = "training", "Đi học, bồi dưỡng"
    MEDICAL_TREATMENT = "medical_treatment", "Điều trị, điều dưỡng theo kết luận của cơ quan y tế"
    OTHER = "other", "Nghỉ việc khác (không hưởng lương, …)"


class ContributionKind(Labelled):
    """What a household gave its locality or society (đóng góp về công sức, đất đai, tài sản: Law 2022 Art. 74 and
    75 as the legal review quotes them; the clause not read [U])."""

    LABOUR = "cong_suc", "Công sức"
    LAND = "dat_dai", "Đất đai"
    ASSETS = "tai_san", "Tài sản"


class ReusePolicy(Labelled):
    """May an initiative already used as evidence serve again?"""

    NEVER = "never", "Mỗi sáng kiến chỉ làm căn cứ một lần"
    ACROSS_KIND_ONLY = "across_kind_only", "Không dùng chéo giữa danh hiệu và hình thức khen thưởng"


LEVEL_RANK: dict[Level, int] = {Level.GRASSROOTS: 1, Level.MINISTRY: 2, Level.NATIONAL: 3}
"""Order of recognition levels; a higher level satisfies a lower requirement."""


def grade_meets(grade: Grade | None, minimum: Grade) -> bool:
    """True when ``grade`` is ``minimum`` or better; None (not graded) is False."""
    return grade is not None and grade.rank >= minimum.rank
