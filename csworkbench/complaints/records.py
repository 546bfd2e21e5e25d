"""Complaint records and the five escalation levels (投诉记录与抱怨升级).

Course concept (COURSE.md §4): a complaint record holds complainant and contact, date,
product and batch or service act / staff, usage duration or service aspect, the story,
the loss and the request, and the receiver.  The textbook (seed 000, 2.3 顾客抱怨) orders
customers' dissatisfaction behaviour by how dissatisfied they are:

1. 虽然内心不满，但不采取任何行动 (dissatisfied but takes no action);
2. 不再重复购买 (no longer buys the brand or visits the firm);
3. 向亲友传递不满信息 (passes the dissatisfaction on to friends and family);
4. 向企业、顾客权益保护机构、舆论媒体等表示不满或提出要求 (complains to the firm, a
   consumer-protection body or the media, or makes a claim);
5. 采取法律行动 (arbitration or a court).

Levels 1–3 are 非投诉型抱怨 (non-complaint dissatisfaction: the firm finds it only through
surveys, interviews or social media); 4–5 are 投诉型抱怨.  A complaint the firm received
is therefore at least level 4.  Reference: Singh (1988), *J. Marketing* 52(1).

The record's fields and their validation live in :mod:`csworkbench.schema`
(``COMPLAINT_FIELDS``, ``validate_complaints``); this module adds the course's content
categories, their responsible departments, and :func:`escalation_level`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike

import numpy as np
import pandas as pd

from ..codes import (
    ASPECT_OF,
    CATEGORIES,
    CHANNEL_ALIASES,
    CHANNEL_LEVEL,
    DEPARTMENT_OF,
    ESCALATION_LEVELS,
    HANDLING_STEPS,
)
from ..errors import DataError
from ..lexicon import LEXICON_PATH, load_lexicon  # noqa: F401  (LEXICON_PATH re-exported)
from .text import normalize_text

__all__ = [
    "CATEGORIES",
    "DEPARTMENT_OF",
    "ASPECT_OF",
    "ESCALATION_LEVELS",
    "CHANNEL_LEVEL",
    "HANDLING_STEPS",
    "NEGATION_TRIGGERS",
    "PSEUDO_NEGATIONS",
    "PATTERN_PREFIX",
    "COMPLAINT_LEVEL",
    "escalation_level",
]

#: The lowest level of a complaint the firm received (投诉型抱怨); levels below are 非投诉型抱怨.
COMPLAINT_LEVEL: int = 4


#: Negation triggers (否定词) whose scope removes the escalation cues that follow them.
NEGATION_TRIGGERS: tuple[str, ...] = (
    "不会",
    "不想",
    "不打算",
    "不准备",
    "不愿",
    "不愿意",
    "不用",
    "不必",
    "无需",
    "不需要",
    "不至于",
    "不要",
    "暂不",
    "并不",
    "没有",
    "没",
    "并未",
    "未曾",
    "未",
    "无意",
    "别",
    "not",
    "cannot",
    "n't",
    "n\u2019t",
    "never",
    "no need to",
    "no intention",
    "no plans to",
    "no plan to",
)
#: Look-alikes that are not negations (伪否定): "have to", "otherwise", "no choice but", "not only" …
PSEUDO_NEGATIONS: tuple[str, ...] = (
    "不得不",
    "不然",
    "要不",
    "不行就",
    "不管",
    "不但",
    "不仅",
    "没办法",
    "没有办法",
    "没人",
    "没有人",
    "别人",
    "别家",
    "未来",
    "别的",
    "not only",
    "not just",
    "if not",
    "or not",
    "not hesitate",
    "no matter",
)
#: How far (characters, within one clause) a trigger's scope reaches.
NEGATION_SCOPE: int = 12
_CLAUSE_END = re.compile(r"[,.;:!?，。；：！？、\n]|但是|但|可是|不过|\bbut\b")


#: Prefix of a lexicon entry that is a regular expression, not a literal word (see :func:`escalation_level`).
PATTERN_PREFIX = "re:"
_NO_CLAUSE_END = r"[^,.;:!?，。；：！？\n]"


@dataclass(frozen=True)
class _Cue:
    """One lexicon entry: a literal word (matched as a substring) or a compiled pattern."""

    entry: str
    word: str | None
    pattern: re.Pattern | None


def _compile_cues(entries: list[str]) -> list[_Cue]:
    """Lexicon entries → cues; ``re:`` entries are compiled (NFKC-normalised, case-insensitive).

    ``{clause}`` in a pattern stands for one character that does not end a clause, so
    ``再也不{clause}{0,6}买`` cannot reach across a comma.
    """
    cues = []
    for raw in entries:
        raw = str(raw)
        if raw.startswith(PATTERN_PREFIX):
            body = unicodedata.normalize("NFKC", raw[len(PATTERN_PREFIX) :]).replace("{clause}", _NO_CLAUSE_END)
            try:
                pattern = re.compile(body, re.IGNORECASE)
            except re.error as exc:
                raise DataError(f"escalation lexicon: {raw!r} is not a valid regular expression ({exc})") from None
            cues.append(_Cue(raw, None, pattern))
        else:
            word = normalize_text([raw])[0]
            if word:
                cues.append(_Cue(raw, word, None))
    return cues


def _cue_spans(doc: str, cues: list[_Cue]) -> list[tuple[int, int, int, str]]:
    """(start, end, cue index, matched text) of every occurrence of every cue."""
    spans: list[tuple[int, int, int, str]] = []
    for k, cue in enumerate(cues):
        if cue.pattern is not None:
            spans.extend((m.start(), m.end(), k, m.group(0)) for m in cue.pattern.finditer(doc) if m.end() > m.start())
            continue
        w = cue.word or ""
        start = doc.find(w)
        while start >= 0:
            spans.append((start, start + len(w), k, w))
            start = doc.find(w, start + 1)
    return spans


def _negated(doc: str, start: int, cue_spans: list[tuple[int, int, int, str]]) -> bool:
    """True when a negation trigger governs position ``start`` (see :func:`escalation_level`)."""
    lo = max(0, start - NEGATION_SCOPE)
    window = doc[lo:start]
    ends = [m.end() for m in _CLAUSE_END.finditer(window)]
    if ends:
        lo, window = lo + ends[-1], window[ends[-1] :]
    if not window:
        return False
    masked = list(window)
    for a, b, _, _ in cue_spans:  # a trigger inside a cue (不会再买, 以后不在你家买) is part of that cue
        for j in range(max(a, lo), min(b, start)):
            masked[j - lo] = " "
    masked_text = "".join(masked)
    for pseudo in PSEUDO_NEGATIONS:
        masked_text = masked_text.replace(pseudo, " " * len(pseudo))
    for trig in NEGATION_TRIGGERS:
        pos = masked_text.find(trig)
        if pos < 0:
            continue
        whole_word = trig[0].isascii() and trig[0].isalpha() and not trig.startswith(("n'", "n\u2019"))
        if whole_word and pos > 0 and masked_text[pos - 1].isalpha():
            continue  # "cannot" is a word; "snot" is not "not"
        return True
    return False


def _text_level(doc: str, cues: Mapping[int, list[_Cue]]) -> tuple[int, str]:
    """The highest non-negated cue level of one normalised text, and its evidence.

    The evidence of a literal cue is the word; of a pattern, the text it matched.
    """
    flat = [(k, cue) for k in cues for cue in cues[k]]
    all_spans = _cue_spans(doc, [cue for _, cue in flat])
    for level in sorted(cues, reverse=True):
        hits: list[str] = []
        for j, (k, _) in enumerate(flat):
            if k != level:
                continue
            for a, _, idx, text in all_spans:
                if idx == j and not _negated(doc, a, all_spans):
                    if text not in hits:
                        hits.append(text)
                    break
        if hits:  # a match inside a longer one (律师 in 律师函) adds nothing
            return level, ", ".join(h for h in hits if not any(h != o and h in o for o in hits))
    return 1, ""


def escalation_level(
    frame: pd.DataFrame | pd.Series,
    *,
    text: str | None = "story",
    channel: str | None = "channel",
    level: str | None = None,
    received: bool = False,
    lexicon_path: str | PathLike | None = None,
    channel_levels: Mapping[str, int | None] | None = None,
) -> pd.DataFrame:
    """The level (1–5) of each customer's dissatisfaction behaviour, with its evidence.

    The levels are the textbook's (seed 000): 1 虽然内心不满，但不采取任何行动, 2 不再重复购买,
    3 向亲友传递不满信息, 4 向企业、顾客权益保护机构、舆论媒体等表示不满或提出要求, 5 采取法律行动.
    1–3 are non-complaint dissatisfaction (非投诉型抱怨, found through surveys, interviews,
    social media); a complaint the firm **received** is at least 4 (:data:`COMPLAINT_LEVEL`).

    Evidence, each giving a level; the result is the highest:

    * (a) text cues from the ``escalation`` section of the keyword lexicon (起诉/律师函/法院 → 5;
      投诉/消协/12315/工商局/曝光/媒体/告你们 → 4; 告诉朋友/朋友圈/发到网上/差评 → 3;
      再也不…买/以后不在你家买 → 2);
    * (b) the channel the record came through (:data:`CHANNEL_LEVEL`, names as in
      :data:`CHANNEL_ALIASES` accepted): a complaint channel — hotline, phone, e-mail, web,
      app, store, letter, consumer association, 12315, media, regulator — means the customer
      complained (4); court, arbitration, a lawyer's letter mean legal action (5); social
      media and word of mouth mean the customer told others (3); a survey, interview or
      observation, an unknown channel or none says nothing (the text decides);
    * (c) ``received=True``: every row is a complaint the firm received (a complaint log
      without a channel column), so each is at least 4;
    * (d) a recorded level column (a person's judgement).

    With no evidence at all the level is 1: a text found through a survey or social media
    that shows dissatisfaction but no action.

    Cues are literal words (substring match on the normalised text: NFKC, lower case) or
    regular expressions — lexicon entries written ``"re:<pattern>"`` (Python :mod:`re`
    syntax, case-insensitive, matched on the NFKC-normalised text; ``{clause}`` stands for a
    character that does not end a clause, so ``re:再也不{clause}{0,6}买`` matches
    再也不在你们家买 but not across a comma).  The evidence of a pattern is the text it
    matched.

    A text cue inside the scope of a negation does not count ("我不会起诉", "I will not sue
    you", "没有去消协投诉", "不会去12315投诉").  The rule follows NegEx (Chapman et al. 2001,
    *J. Biomed. Inform.* 34(5)): a trigger (:data:`NEGATION_TRIGGERS`: 不会, 不想, 没有,
    并未, not, won't …) negates the cues that follow it in the same clause, up to
    :data:`NEGATION_SCOPE` characters; a clause ends at punctuation or at "but"
    (但/但是/可是/不过).  Pseudo-triggers that look like negations but are not
    (不得不 "have to", 不然 "otherwise", 没办法 "no choice but", not only …) are ignored,
    and a trigger that is part of a cue itself (不会再买, 以后不在你家买) is not a trigger.

    Parameters
    ----------
    frame : DataFrame or Series
        Records, or a Series of texts (texts alone: survey answers, posts).
    text, channel, level : str or None
        Column names (None or absent: not used).
    received : bool, default False
        True when every row is a complaint the firm received, whatever its channel column
        says (or when there is none).
    lexicon_path : path, optional
        Your own lexicon file (see :func:`load_lexicon`).
    channel_levels : mapping, optional
        Overrides :data:`CHANNEL_LEVEL`.

    Returns
    -------
    DataFrame
        Same index; columns ``level`` (int 1–5), ``source`` (what set the level: ``text``,
        ``channel``, ``received``, ``recorded`` or ``none``) and ``evidence`` (the cue words
        or matched text; ``<channel>`` or ``<channel> + <cues>`` when the channel set it).

    Examples
    --------
    >>> stories = pd.Series(["再也不买了", "我要去消协投诉", "已委托律师起诉", "东西一般"])
    >>> escalation_level(stories)[["level", "evidence"]].values.tolist()
    [[2, '再也不买'], [4, '投诉, 消协'], [5, '起诉, 律师'], [1, '']]
    >>> escalation_level(pd.Series(["我不会起诉，但会去消协投诉", "不然我就起诉"]))["level"].tolist()
    [4, 5]
    >>> escalation_level(pd.Series(["以后不在你们家买了", "我要去工商局告你们", "不会去12315投诉"]))[
    ...     ["level", "evidence"]
    ... ].values.tolist()
    [[2, '以后不在你们家买'], [4, '工商局, 去工商, 告你们'], [1, '']]

    A record that reached the firm is a complaint (4) even when its text shows no more than
    dissatisfaction; a survey answer is judged by its text:

    >>> log = pd.DataFrame({"story": ["再也不买了", "东西一般", "东西一般"], "channel": ["12315", "热线", "survey"]})
    >>> escalation_level(log).values.tolist()
    [[4, 'channel', '12315 + 再也不买'], [4, 'channel', '热线'], [1, 'none', '']]
    >>> escalation_level(pd.Series(["东西一般"]), received=True).values.tolist()
    [[4, 'received', 'received']]
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame("story")
        text, channel, level = "story", None, None
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"escalation_level: expected a DataFrame or a Series of texts; got {type(frame).__name__}")
    n = len(frame)
    best = np.ones(n, dtype=int)
    source = np.array(["none"] * n, dtype=object)
    evidence = np.array([""] * n, dtype=object)

    def consider(lv: np.ndarray, src: str, ev: np.ndarray) -> None:
        better = lv > best
        best[better] = lv[better]
        source[better] = src
        evidence[better] = ev[better]

    text_ev = np.array([""] * n, dtype=object)
    if text and text in frame.columns:
        cues = {int(k): _compile_cues(v) for k, v in load_lexicon("escalation", None, lexicon_path).items()}
        docs = normalize_text([v if isinstance(v, str) else "" for v in frame[text].tolist()])
        text_lv = np.ones(n, dtype=int)
        for i, doc in enumerate(docs):
            text_lv[i], text_ev[i] = _text_level(doc, cues)
        consider(text_lv, "text", text_ev)
    if channel and channel in frame.columns:
        lv, names = _channel_levels(frame[channel], channel_levels)
        consider(lv, "channel", np.array([c + (" + " + e if e else "") for c, e in zip(names, text_ev)], dtype=object))
    if received:
        consider(np.full(n, COMPLAINT_LEVEL), "received", np.array(["received"] * n, dtype=object))
    if level and level in frame.columns:
        rec = pd.to_numeric(frame[level], errors="coerce")
        bad = rec.notna() & ~rec.isin(ESCALATION_LEVELS)
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"escalation levels are 1–5; got {frame[level].iloc[pos]!r}", column=level, row=pos + 1)
        lv = rec.fillna(0).astype(int).to_numpy()
        consider(lv, "recorded", np.array([f"{level}={v}" for v in lv], dtype=object))
    return pd.DataFrame({"level": best, "source": source, "evidence": evidence}, index=frame.index)


def _channel_levels(values: pd.Series, overrides: Mapping[str, int | None] | None) -> tuple[np.ndarray, list[str]]:
    """The level each channel implies (0: says nothing) and the channel names as written."""
    table = {str(k).lower(): v for k, v in (overrides or CHANNEL_LEVEL).items()}
    aliases = {str(k).lower(): str(v).lower() for k, v in CHANNEL_ALIASES.items()}
    raw = values.astype("string").str.strip()
    names = [v if isinstance(v, str) else "" for v in raw.tolist()]
    levels = []
    for name in names:
        key = name.lower()
        found = table.get(key, table.get(aliases.get(key, ""), None))
        levels.append(int(found) if found else 0)
    return np.array(levels, dtype=int), names
