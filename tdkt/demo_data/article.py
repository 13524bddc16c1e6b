"""The source article's story as data: the 2023 figures, the movements, the 2024 pledge and targets.

Source: "Bộ Công Thương: Lan tỏa các phong trào thi đua trong mỗi đơn vị, tổ
chức", Báo Công Thương, 2024 (``/work/shared/seed/moit-emulation-2024.txt``),
on the Ministry's 2024 staff conference (Hội nghị cán bộ, công chức, viên
chức, người lao động). Texts are quoted from it; where the article gives no
date or number (launch dates, decision numbers) the value is illustrative and
marked so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import ArticleCount

AWARD_YEAR = 2023

ARTICLE_2023: tuple[ArticleCount, ...] = (
    # "năm 2023, Bộ đã trình xét tặng …" — proposed to other authorities
    ArticleCount("NGND", "proposed", 2),
    ArticleCount("NGUT", "proposed", 3),
    ArticleCount("HCLD_3", "proposed", 3, 1),
    ArticleCount("BK_TTG", "proposed", 9),
    ArticleCount("KNC_GD", "proposed", 78),
    # "Đồng thời, tặng …" — granted by the Minister
    ArticleCount("BK_BT", "granted", 214, 68),
    ArticleCount("CSTD_BO", "granted", 87),
    ArticleCount("KNC_CT", "granted", 83),
)
"""The article's 2023 figures (line 43–45)."""

ARTICLE_PARAGRAPH_2023 = (
    "Năm 2023, Bộ đã trình xét tặng danh hiệu Nhà giáo nhân dân cho 2 cá nhân, Nhà giáo ưu tú cho 3 cá nhân; "
    "Huân chương Lao động hạng Ba cho 1 tập thể, 3 cá nhân; Bằng khen của Thủ tướng Chính phủ cho 9 cá nhân; "
    "Kỷ niệm chương “Vì sự nghiệp giáo dục” cho 78 cá nhân. Đồng thời, tặng Bằng khen của Bộ trưởng Bộ Công "
    "Thương cho 68 tập thể, 214 cá nhân; Chiến sĩ thi đua Bộ Công Thương cho 87 cá nhân; Kỷ niệm chương “Vì sự "
    "nghiệp phát triển ngành Công Thương Việt Nam” cho 83 cá nhân."
)
"""The article's sentences as the reporting service words them ("Năm 2023, …"; the article's "uu tú" is a
typing slip for "ưu tú")."""

TO_AUTHORITY: dict[str, str] = {
    "NGND": "president",
    "NGUT": "president",
    "HCLD_3": "president",
    "BK_TTG": "prime_minister",
    "KNC_GD": "other_ministry",
}
"""Who decides what the Ministry proposes (the catalogue's rules for 2023)."""

MINISTER = "Bộ trưởng Nguyễn Hồng Diên"
UNION_CHAIR = "Nguyễn Minh Huệ"


@dataclass(frozen=True)
class MovementSpec:
    """A movement (phong trào thi đua) to launch through the campaigns API."""

    movement_id: str
    title: str
    launched_by: str  # Launcher value
    kind: str  # MovementKind value
    period_start: date
    period_end: date | None
    criteria: str
    launched_on: date
    decision_ref: str | None = None
    responds_to: str | None = None


MOVEMENTS_2023: tuple[MovementSpec, ...] = (
    MovementSpec(
        "pt-cp-ha-tang-2023",
        "Đẩy mạnh phát triển kết cấu hạ tầng đồng bộ, hiện đại; thực hành tiết kiệm, chống lãng phí",
        "chinh_phu", "chuyen_de", date(2021, 1, 1), date(2025, 12, 31),
        "Quán triệt, nâng cao ý thức trách nhiệm của đội ngũ cán bộ, công chức, viên chức và người lao động trong "
        "phát triển kết cấu hạ tầng đồng bộ, hiện đại; thực hành tiết kiệm, chống lãng phí.",
        date(2021, 3, 1), decision_ref="Phát động của Chính phủ (ngày, số văn bản: minh họa)",
    ),
    MovementSpec(
        "pt-ttg-ntm", "Cả nước chung sức xây dựng nông thôn mới", "thu_tuong", "chuyen_de",
        date(2021, 1, 1), date(2025, 12, 31),
        "Huy động các nguồn lực, chung sức xây dựng nông thôn mới; nâng cao đời sống vật chất, tinh thần của dân "
        "cư nông thôn.",
        date(2021, 6, 1), decision_ref="Phát động của Thủ tướng Chính phủ (minh họa)",
    ),
    MovementSpec(
        "pt-bct-ntm", "Ngành Công Thương chung sức xây dựng nông thôn mới", "bo", "chuyen_de",
        date(2021, 1, 1), date(2025, 12, 31),
        "Các đơn vị thuộc Bộ và doanh nghiệp hoạt động trong lĩnh vực Công Thương hưởng ứng phong trào: hoàn "
        "thiện lưới điện khu vực nông thôn, khuyến công, xúc tiến thương mại, phát triển công nghiệp - tiểu thủ "
        "công nghiệp, góp phần xây dựng nông thôn mới.",
        date(2021, 7, 1), decision_ref="Kế hoạch của Bộ Công Thương (minh họa)", responds_to="pt-ttg-ntm",
    ),
    MovementSpec(
        "pt-ttg-vi-nguoi-ngheo", "Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau", "thu_tuong",
        "chuyen_de", date(2021, 1, 1), date(2025, 12, 31),
        "Khuyến công, xúc tiến thương mại, Cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam”; hỗ trợ sản "
        "xuất sạch hơn, tạo việc làm, tăng thu nhập, góp phần giảm nghèo bền vững.",
        date(2021, 6, 15), decision_ref="Phát động của Thủ tướng Chính phủ (minh họa)",
    ),
    MovementSpec(
        "pt-ttg-van-hoa-cong-so", "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở", "thu_tuong",
        "chuyen_de", date(2019, 1, 1), date(2025, 12, 31),
        "Thực hiện văn hóa công sở; rà soát, bãi bỏ thủ tục hành chính không còn phù hợp; nâng cao chất lượng cơ "
        "chế một cửa, một cửa liên thông.",
        date(2019, 3, 1), decision_ref="Phát động của Thủ tướng Chính phủ (minh họa)",
    ),
    MovementSpec(
        "pt-bct-van-hoa-cong-so", "Cán bộ, công chức, viên chức Bộ Công Thương thi đua thực hiện văn hóa công sở",
        "bo", "chuyen_de", date(2019, 1, 1), date(2025, 12, 31),
        "Sửa đổi, bổ sung quy chế làm việc, phân công nhiệm vụ; giữ gìn nơi làm việc xanh - sạch - đẹp, văn minh; "
        "rà soát, thống kê thủ tục hành chính thuộc chức năng quản lý nhà nước của Bộ.",
        date(2019, 4, 1), decision_ref="Kế hoạch của Bộ Công Thương (minh họa)", responds_to="pt-ttg-van-hoa-cong-so",
    ),
    MovementSpec(
        "pt-bct-2023", "Phong trào thi đua yêu nước năm 2023 của Bộ Công Thương", "bo", "thuong_xuyen",
        date(2023, 1, 1), date(2023, 12, 31),
        "Động viên cán bộ công chức hoàn thành tốt nhiệm vụ chuyên môn, cùng tập thể phấn đấu hoàn thành xuất sắc "
        "nhiệm vụ chính trị của đơn vị, của Bộ, của ngành; tích cực tham gia các hoạt động đoàn thể và xã hội.",
        date(2023, 1, 16), decision_ref="Kế hoạch thi đua năm 2023 (minh họa)",
    ),
)
"""The 2023 movements the article names (lines 15–33), with the Ministry's responses."""

THEMATIC_MOVEMENT = "pt-bct-ntm"
"""The movement whose outstanding people receive a thematic Bằng khen in 2023."""

CONFERENCE_DAY = date(2024, 1, 25)
"""The 2024 staff conference (illustrative date: the article does not give it)."""

UNION_MOVEMENT_2024 = MovementSpec(
    "pt-cdbct-2024", "Phong trào thi đua năm 2024 của Công đoàn Bộ Công Thương", "cong_doan_bo", "thuong_xuyen",
    date(2024, 1, 1), date(2024, 12, 31),
    "Động viên cán bộ, công chức, viên chức và người lao động hoàn thành xuất sắc nhiệm vụ chuyên môn, cùng tập "
    "thể phấn đấu hoàn thành tốt nhiệm vụ chính trị của cơ quan, đơn vị; tích cực tham gia các hoạt động đoàn thể "
    "và các hoạt động xã hội.",
    CONFERENCE_DAY,
)
"""Line 47: "Công đoàn Bộ phát động thi đua trong toàn thể cán bộ, công chức, viên chức, người lao động"."""

PLEDGE_2024_TITLE = "Giao ước thi đua năm 2024 giữa Lãnh đạo Bộ Công Thương và Công đoàn Bộ Công Thương"

PLEDGE_2024_CLAUSES: tuple[str, ...] = (
    "Vận động cán bộ, công chức, viên chức và người lao động thực hiện nghiêm các chủ trương, đường lối của Đảng, "
    "chính sách pháp luật của Nhà nước; ra sức thi đua phát huy sáng kiến, sáng tạo, đẩy mạnh công tác chuyển đổi "
    "số; thực hành tiết kiệm, chống lãng phí, cải cách hành chính, vượt mọi khó khăn, thực hiện tốt công việc được "
    "giao góp phần hoàn thành xuất sắc nhiệm vụ chính trị của Bộ, của Ngành.",
    "Phát huy hiệu quả, đẩy mạnh và cụ thể hóa các phong trào thi đua, cuộc vận động do Chính phủ và các tổ chức "
    "chính trị xã hội phát động như: Phong trào thi đua “Lao động giỏi, lao động sáng tạo”, “Tham mưu giỏi, phục "
    "vụ tốt”; “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”; cuộc vận động xây dựng cán bộ công "
    "chức “Trung thành - Trách nhiệm - Liêm chính”; “Cán bộ, công chức, viên chức nói không với tiêu cực”…",
    "Tích cực học tập, bồi dưỡng lý tưởng cách mạng, bản lĩnh chính trị, rèn luyện phẩm chất đạo đức, lối sống; "
    "nâng cao trình độ chuyên môn nghiệp vụ; đẩy mạnh cải cách hành chính, sửa đổi lề lối làm việc; học tập và làm "
    "theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường và khát vọng phát triển đất nước "
    "phồn vinh, hạnh phúc.",
    "Tiếp tục đổi mới phương thức và sáng tạo, đẩy mạnh các phong trào thi đua yêu nước, ký kết giao ước thi đua "
    "và đăng ký các hình thức thi đua khen thưởng của tập thể và cá nhân, quyết tâm hoàn thành tốt các nhiệm vụ "
    "chính trị được giao, đảm bảo phù hợp với đặc thù nhiệm vụ chính trị của mỗi cơ quan, đơn vị gắn với các phong "
    "trào thi đua do bộ, ngành phát động.",
    "Các tổ chức công đoàn tiếp tục nâng cao hiệu quả công tác đại diện, chăm lo, bảo vệ quyền, lợi ích hợp pháp "
    "chính đáng của người lao động qua các hoạt động chăm lo đời sống vật chất, tinh thần, chăm lo lợi ích và đời "
    "sống cho đoàn viên, người lao động; hoạt động tham gia xây dựng, giám sát việc thực hiện chính sách, pháp luật "
    "liên quan đến chế độ, chính sách đối với cán bộ công chức, viên chức và người lao động. Trong giai đoạn còn "
    "nhiều khó khăn, thách thức cần tích cực phối hợp với Lãnh đạo cơ quan, đơn vị tập trung huy động các nguồn "
    "lực, tổ chức hỗ trợ động viên, khuyến khích tinh thần và chăm lo cho đoàn viên người lao động, đặc biệt là "
    "những đoàn viên có hoàn cảnh khó khăn.",
)
"""Lines 111–121: "bản giao ước thi đua có những nội dung: Thứ nhất … Thứ năm …"."""


@dataclass(frozen=True)
class TargetSpec:
    """A 2024 target (chỉ tiêu) of the article, as the campaigns service measures it."""

    target_id: str
    metric: str
    threshold_percent: int
    description: str
    training_code: str | None = None


TRAINING_CODE_2024 = "HOC-TAP-2024"
"""The training the third target counts: political, professional, Party resolutions, law (one code)."""

TARGETS_2024: tuple[TargetSpec, ...] = (
    TargetSpec("ct-2024-don-vi-htt", "units_graded_good_or_better", 100,
               "100% các đơn vị hoàn thành tốt nhiệm vụ trở lên"),
    TargetSpec("ct-2024-cbccvc-htt", "staff_graded_good_or_better", 95,
               "95% cán bộ, công chức, viên chức và người lao động hoàn thành tốt nhiệm vụ trở lên"),
    TargetSpec("ct-2024-hoc-tap", "staff_training_completed", 100,
               "100% cán bộ công chức, đoàn viên công đoàn học tập, nghiên cứu nâng cao trình độ chính trị, chuyên "
               "môn nghiệp vụ, Nghị quyết của Đảng, chính sách pháp luật của Nhà nước", TRAINING_CODE_2024),
)
"""Line 49: "năm 2024, Bộ Công Thương phấn đấu 100% các đơn vị …; 95% cán bộ …; 100% cán bộ công chức …"."""
