"""The rules seeded from the policy (二、部门奖惩条例) and the attendance rules HR configures.

Titles live here so they go through gettext; the database keeps the code and ¥ range.

The five numbered rules are the policy's own: their kinds and ¥ ranges are the source
of truth, and HR cannot change them in the app (`services.configure_rule` refuses);
changing them means changing the policy and a migration. The unnumbered attendance,
meeting, report and duty rules are HR's to configure (kinds, range, active), since
the policy says only "依据公司考勤管理制度".
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

PUBLIC_PRAISE = "praise"          # 通报表扬
BONUS = "bonus"                   # 奖金
PUBLIC_CRITICISM = "criticism"    # 通报批评
BONUS_DEDUCTION = "deduction"     # 扣除奖金
FINE = "fine"                     # 罚款
VERBAL_WARNING = "verbal"         # 口头警告
WRITTEN_WARNING = "written"       # 书面警告
SUSPENSION = "suspension"         # 停职

PENALTY_KINDS = [PUBLIC_CRITICISM, BONUS_DEDUCTION, FINE]
WARNING_KINDS = [VERBAL_WARNING, WRITTEN_WARNING, PUBLIC_CRITICISM]

RULE_TITLES = {
    "same-day-unfinished": _("Same-day work not finished and not reported the same day"),
    "campaign-missed": _("A campaign missed its expected effect more than 3 times"),
    "campaign-success": _("A campaign brought traffic or followers"),
    "users-lost": _("A failure of duty that lost users"),
    "year-end-bonus": _("Year-end bonus by accumulated performance"),
    "late": _("Late arrival"),
    "early-leave": _("Early leave"),
    "missing-punch": _("Missing punch"),
    "absent": _("Absence without leave"),
    "missing-report": _("Missing daily work report"),
    "late-leave-slip": _("Written leave slip not handed in on time"),
    "meeting-absent": _("Absent from or late to the Monday meeting"),
    "minutes-missing": _("Meeting minutes not recorded"),
    "duty-missed": _("Holiday duty not kept"),
}

# code, policy number, category, clause anchor, kinds, min ¥, max ¥
SEED_RULES = [
    ("same-day-unfinished", 1, "penalty", "jiangcheng-1", PENALTY_KINDS, Decimal("10"), Decimal("100")),
    ("campaign-missed", 2, "penalty", "jiangcheng-2", PENALTY_KINDS, Decimal("50"), Decimal("500")),
    ("campaign-success", 3, "reward", "jiangcheng-3", [PUBLIC_PRAISE, BONUS], Decimal("100"), Decimal("1000")),
    ("users-lost", 4, "penalty", "jiangcheng-4", PENALTY_KINDS, Decimal("50"), Decimal("1000")),
    ("year-end-bonus", 5, "reward", "jiangcheng-5", [BONUS], Decimal("100"), Decimal("10000")),
    ("late", None, "penalty", "kaoqin-3", WARNING_KINDS, None, None),
    ("early-leave", None, "penalty", "kaoqin-3", WARNING_KINDS, None, None),
    ("missing-punch", None, "penalty", "kaoqin-3", WARNING_KINDS, None, None),
    ("absent", None, "penalty", "kaoqin-3", WARNING_KINDS, None, None),
    ("missing-report", None, "penalty", "gongzuo-3", WARNING_KINDS, None, None),
    ("late-leave-slip", None, "penalty", "kaoqin-2", WARNING_KINDS, None, None),
    ("meeting-absent", None, "penalty", "lihui-2", WARNING_KINDS, None, None),
    ("minutes-missing", None, "penalty", "lihui-4", WARNING_KINDS, None, None),
    ("duty-missed", None, "penalty", "zhiban-1", WARNING_KINDS, None, None),
]


def ensure_seeded(rule_model) -> int:
    """Create the seeded rules that are missing (never changes an existing one); return how many were created.

    The migration seeds them; this restores them where a database was flushed
    (transactional tests) before demo data or a nightly check needs them.
    """
    created = 0
    for code, number, category, clause, kinds, low, high in SEED_RULES:
        _rule, new = rule_model.objects.get_or_create(
            code=code,
            defaults={
                "number": number, "category": category, "clause": clause, "allowed_kinds": kinds,
                "min_amount": low, "max_amount": high, "title": str(RULE_TITLES[code]),
            },
        )
        created += new
    return created


# The clauses the rules cite, by the name a reader knows them by (the anchors are for links only).
CLAUSE_NAMES = {
    "kaoqin-2": _("Attendance rules, clause 2: the leave slip"),
    "kaoqin-3": _("Working hours and attendance, clause 3: attendance management"),
    "gongzuo-3": _("Work responsibilities, clause 3: progress reports"),
    "lihui-2": _("Weekly meeting, clause 2: no leave, lateness or absence without reason"),
    "lihui-4": _("Weekly meeting, clause 4: accurate minutes"),
    "zhiban-1": _("Holiday duty, clause 1: the person on duty"),
    "jiangcheng-1": _("Rewards and penalties, rule 1"),
    "jiangcheng-2": _("Rewards and penalties, rule 2"),
    "jiangcheng-3": _("Rewards and penalties, rule 3"),
    "jiangcheng-4": _("Rewards and penalties, rule 4"),
    "jiangcheng-5": _("Rewards and penalties, rule 5"),
    "shensu-2": _("Discipline and appeals, clause 2: appeals"),
}
