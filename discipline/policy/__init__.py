"""The policy handbook: the regulations shipped with the app, split into documents, chapters and clauses.

The text (regulations.zh.txt) is Chinese source material and is rendered as it is.
Every clause gets a positional anchor (`d9-c8-1`: document 9, chapter 8, clause 1);
the clauses the rules cite also get a named anchor (`jiangcheng-1`) that stays the
same whatever the positions, so links from rules, flags and records never break.
"""

from dataclasses import dataclass, field
from functools import lru_cache
import hashlib
from pathlib import Path
import re

TEXT_PATH = Path(__file__).resolve().parent / "regulations.zh.txt"

# Named anchor → the beginning of the one clause it names (tests check each matches exactly one).
NAMED_CLAUSES = {
    "kaoqin-2": "2、请假必须有请假条",             # 三、考勤制度 2: leave slip, 会后及时补交假条
    "kaoqin-3": "3. 考勤管理",                     # 二、工作时间和考勤 3: late, early leave, absence
    "gongzuo-3": "3. 工作进展报告",                 # 三、工作责任 3: reports to the supervisor
    "zhidu-5": "第五条工作制度",                    # 第五条 3: 不得私自加班，加班需经上级主管批准
    "lihui-2": "2、例会不能无故请假",               # 四、例会制度 2
    "lihui-4": "4、会议须准确做好会议记录",          # 四、例会制度 4
    "zhiban-1": "1、值班负责人",                    # 六、节假日值班制度 1
    "jiangcheng-1": "1.当天工作事宜",               # 二、部门奖惩条例 1–5
    "jiangcheng-2": "2.未能达到预期活动策划效果",
    "jiangcheng-3": "3.能给网站带来流量",
    "jiangcheng-4": "4.造成用户流失",
    "jiangcheng-5": "5.年底根据员工工作业绩积累",
    "shensu-2": "2. 申诉机制",                      # 七、违纪处理与申诉机制 2: appeals
}
NAMED_CHAPTERS = {
    "jiangcheng": "二、部门奖惩条例",
    "lihui": "四、例会制度",
    "zhiban": "六、节假日值班制度",
}

_TITLE = re.compile(r"^[\u4e00-\u9fff]{4,14}(制度|范本|说明)$")
_CHAPTER = re.compile(r"^([一二三四五六七八九十]+、|第[一二三四五六七八九十]+章)")
_CLAUSE = re.compile(r"^(\d+[\.、]|第[一二三四五六七八九十]+条)")
# The download site's notice the text was copied with ("- 1、下载文档前请…"): not policy, so never shown.
_SITE_NOTICE = re.compile(r"^- \d、.*(下载文档|预览|客服)")
# Where an inline chapter heading ends and its first clause begins.
_INLINE_CLAUSE = re.compile(r"(?<=[\u4e00-\u9fff:：])(?=1[\.、]|第[一二三四五六七八九十]+条)")


@dataclass
class Clause:
    anchor: str
    text: str
    named: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.named or self.anchor


@dataclass
class Chapter:
    anchor: str
    heading: str
    named: str = ""
    clauses: list[Clause] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.named or self.anchor


@dataclass
class Document:
    anchor: str
    title: str
    chapters: list[Chapter] = field(default_factory=list)


def raw_text() -> str:
    return TEXT_PATH.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def text_sha256() -> str:
    """The fingerprint of the shipped text; a published version records the one it was published with."""
    return hashlib.sha256(raw_text().encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def handbook() -> list[Document]:
    """Parse the shipped text once per process."""
    documents: list[Document] = []

    def current_document() -> Document:
        if not documents:
            documents.append(Document(anchor="d1", title=""))
        return documents[-1]

    def current_chapter() -> Chapter:
        document = current_document()
        if not document.chapters:
            document.chapters.append(Chapter(anchor=f"{document.anchor}-c0", heading=""))
        return document.chapters[-1]

    def add_clause(text: str) -> None:
        chapter = current_chapter()
        chapter.clauses.append(Clause(anchor=f"{chapter.anchor}-{len(chapter.clauses) + 1}", text=text, lines=[text]))

    for raw in raw_text().splitlines():
        line = raw.strip()
        if not line or _SITE_NOTICE.match(line):
            continue
        if _TITLE.match(line):
            document = documents[-1] if documents else None
            if document is not None and not document.chapters:
                continue  # a repeated page title: keep the first
            documents.append(Document(anchor=f"d{len(documents) + 1}", title=line))
            continue
        if _CHAPTER.match(line):
            heading, _sep, rest = _split_inline(line)
            document = current_document()
            number = sum(1 for chapter in document.chapters if chapter.heading) + 1
            document.chapters.append(Chapter(anchor=f"{document.anchor}-c{number}", heading=heading))
            if rest:
                add_clause(rest)
            continue
        if _CLAUSE.match(line) or not current_chapter().clauses:
            add_clause(line)
        else:
            clause = current_chapter().clauses[-1]
            clause.lines.append(line)
    _name_anchors(documents)
    return documents


def _split_inline(line: str) -> tuple[str, str, str]:
    """Split '二、工作时间与考勤1. 工作时间…' into the heading and the first clause."""
    parts = _INLINE_CLAUSE.split(line, maxsplit=1)
    if len(parts) == 2 and parts[1]:
        return parts[0], "", parts[1]
    return line, "", ""


def _name_anchors(documents: list[Document]) -> None:
    for document in documents:
        for chapter in document.chapters:
            for name, heading in NAMED_CHAPTERS.items():
                if chapter.heading == heading:
                    chapter.named = name
            for clause in chapter.clauses:
                for name, start in NAMED_CLAUSES.items():
                    if clause.text.startswith(start):
                        clause.named = name


def anchors() -> set[str]:
    """Every anchor the handbook page carries (positional and named)."""
    found: set[str] = set()
    for document in handbook():
        found.add(document.anchor)
        for chapter in document.chapters:
            found.update({chapter.anchor, chapter.id})
            for clause in chapter.clauses:
                found.update({clause.anchor, clause.id})
    return found


def clause_text(name: str) -> str:
    """The full text of the clause with a named anchor ('' if none)."""
    for document in handbook():
        for chapter in document.chapters:
            for clause in chapter.clauses:
                if clause.named == name:
                    return "".join(clause.lines)
    return ""


# ---------------------------------------------------------------- the handbook by chapter (issue 13 item 8)
#
# The shipped text is nine drafts of one department's rules, one after another. Read as they are, the
# same subjects come back nine times. The handbook page therefore reads by chapter: every chapter of
# every draft goes under the one handbook chapter its heading names (a headless opening goes under 总则),
# in the order below, and a clause that nearly repeats one already shown is folded away beside a link
# to the first (never dropped: the text stays the policy's own). Each handbook chapter is ticked as read
# before the employee signs at the end.

@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    keywords: tuple[str, ...]


TOPICS = (
    Topic("zongze", "总则与概述", ("引言", "总则", "概述")),
    Topic("kaoqin", "工作时间与考勤", ("考勤", "工作时间")),
    Topic("zhize", "组织与岗位职责", ("职责", "组织", "岗位", "工作内容", "工作责任")),
    Topic("liucheng", "工作流程与行为规范", ("流程", "工作制度", "管理制度", "团队协作", "行为规范", "文件")),
    Topic("huiyi", "会议与沟通", ("会议", "例会")),
    Topic("zhiban", "节假日值班", ("值班",)),
    Topic("jiangcheng", "奖惩、考评与申诉", ("奖惩", "绩效", "违纪", "申诉")),
    Topic("fuze", "附则", ("附则",)),
)
NEAR_DUPLICATE = 0.7  # difflib ratio above which a clause repeats one already shown


@dataclass
class Part:
    """One draft's chapter inside a handbook chapter."""

    document: Document
    chapter: Chapter
    first_of_document: bool = False  # the page carries the draft's anchor here


@dataclass
class HandbookChapter:
    topic: Topic
    parts: list[Part] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"zhang-{self.topic.key}"


def topic_of(chapter: Chapter) -> Topic:
    for topic in TOPICS:
        if any(word in chapter.heading for word in topic.keywords):
            return topic
    return TOPICS[0]


@lru_cache(maxsize=1)
def by_chapter() -> list[HandbookChapter]:
    """The handbook's chapters in reading order, each with the drafts' chapters on its subject."""
    chapters = {topic.key: HandbookChapter(topic) for topic in TOPICS}
    for document in handbook():
        for index, chapter in enumerate(document.chapters):
            chapters[topic_of(chapter).key].parts.append(Part(document, chapter, first_of_document=index == 0))
    return [chapter for chapter in chapters.values() if chapter.parts]


@lru_cache(maxsize=1)
def near_duplicates() -> dict[str, str]:
    """{clause anchor: the anchor of the earlier clause it nearly repeats}, in reading order; a cited clause is never folded."""
    import difflib

    shown: list[tuple[str, str]] = []
    found: dict[str, str] = {}
    for chapter in by_chapter():
        for part in chapter.parts:
            for clause in part.chapter.clauses:
                text = "".join(clause.lines)
                if not clause.named and len(text) >= 12:
                    for anchor, earlier in shown:
                        matcher = difflib.SequenceMatcher(None, earlier, text, autojunk=False)
                        if matcher.real_quick_ratio() >= NEAR_DUPLICATE and matcher.quick_ratio() >= NEAR_DUPLICATE \
                                and matcher.ratio() >= NEAR_DUPLICATE:
                            found[clause.anchor] = anchor
                            break
                if clause.anchor not in found:
                    shown.append((clause.id, text))
    return found


def chapter_keys() -> list[str]:
    """The keys an employee ticks, one per handbook chapter, before signing."""
    return [chapter.topic.key for chapter in by_chapter()]
