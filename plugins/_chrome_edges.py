"""Where a body block really starts and ends (context rules of the `chrome` cleaner).

The body block is the span with the most body evidence (`_chrome_regions.body_block`),
where every short line weighs against the text. That is right for headlines, labels and
links around an article, and wrong for the few short lines that belong to it:

- short sentences right before the block open the text (`It can be frustrating to step
  on the scale.`: a few words and a full stop), and right after it close the text
  (`Officials did not immediately provide any other details.`, `I hope you like it!`,
  `The concept paper is available here:`): a few words and any final mark but an
  ellipsis, and no trigger phrase;
- the last paragraphs of the block can be an appeal written as ordinary sentences
  (`Receive our monthly newsletter to stay on top of the latest articles.`), which a
  subscribe or login phrase marks; at the very end of the text they are page furniture;
- the short unpunctuated line right after a block's first paragraph is furniture between
  the lead and the text (a caption, a byline fragment, a `Contents` label), not the
  subheading a short line between paragraphs usually is;
- a line that closes an article (share bar, newsletter or related header, copyright)
  followed by little text ends the block there: what follows is a newsletter blurb, an
  author or site box, a teaser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cleankit.plugins._chrome_classify import BAD, GOOD, NEAR, SHORT, Verdict
from cleankit.plugins._chrome_features import Features

if TYPE_CHECKING:
    from cleankit.plugins._chrome_regions import ContextParams

# Weak trigger categories (they spare a line that reads as a sentence) whose sentences at
# the very end of the text ask the reader to do something: sign up, log in, subscribe.
# Not `share` or `comments`: their words (`shares`, `request for comment`) are common in
# the last sentences of news stories.
APPEAL_CATEGORIES = ("subscribe", "login")
# Trigger categories of lines that close an article: a share bar, a newsletter box, a
# related or comments header, a copyright or legal footer, a login box. Not bylines,
# credits or captions: those also stand between the paragraphs of the text.
END_MARKERS = ("share", "subscribe", "related", "comments", "copyright", "legal", "login")


def short_sentence(f: Features, min_words: int) -> bool:
    """A few words ending in a full stop: a sentence, rarely a headline or a link."""
    return f.full_stop and f.words >= min_words


def opening_sentences(
    verdicts: list[Verdict], feats: list[Features], start: int, params: ContextParams
) -> int:
    """Rule 2d: the block's new start. Short sentences right before a body block open the
    text rather than being page furniture, which is headlines, labels and links: they
    weigh against the block like any short line, so the block starts after them."""
    min_words = params.short_sentence_words
    while (
        start > 0
        and verdicts[start - 1].cls == SHORT
        and short_sentence(feats[start - 1], min_words)
    ):
        start -= 1
    return start


def closing_sentences(
    verdicts: list[Verdict], feats: list[Features], end: int, params: ContextParams
) -> int:
    """Rule 2d, at the other end: the block's new end. Short sentences right after the
    block close the text: a last quote, `The production will run until February 1.`,
    `I hope you like it!`, or the line that announces a list of links or sources (`The
    concept paper is available here:`; the links themselves go). Any final mark but an
    ellipsis will do here, unlike before the block, where a question or a colon ends
    headlines and date lines. A line holding a trigger phrase (`Follow me on Twitter.`)
    does not count, even when a weak trigger spared it as a sentence."""
    if not params.close_with_sentences:
        return end
    min_words = params.short_sentence_words
    n = len(verdicts)
    while end < n and verdicts[end].cls == SHORT and _closing_line(feats[end], min_words):
        end += 1
    return end


def _closing_line(f: Features, min_words: int) -> bool:
    return f.sentence_end and not f.truncated and f.words >= min_words and f.trigger is None


def closing_appeals(
    verdicts: list[Verdict], feats: list[Features], start: int, end: int, params: ContextParams
) -> int:
    """Rule 2e: the block's new end. The last paragraphs of the block that hold a
    subscribe or login phrase (weak triggers, spared on their own as sentences) are an
    appeal, not article text, when nothing of the article follows them: they become
    `bad` with the trigger's rule. Long paragraphs are spared (an article about
    subscriptions); the block keeps at least its first paragraph."""
    if not params.drop_closing_appeals:
        return end
    while end - 1 > start and verdicts[end - 1].cls != BAD:
        f = feats[end - 1]
        trig = f.trigger
        if trig is None or trig.category not in APPEAL_CATEGORIES:
            break
        if f.chars > params.appeal_max_chars:
            break
        end -= 1
        verdicts[end] = Verdict(BAD, f"trigger:{trig.category}", trig.label, 0.6)
    return end


def line_after_lead(
    verdicts: list[Verdict], feats: list[Features], start: int, end: int
) -> list[int]:
    """Rule 3c: the short line right after the first paragraph of a block, without final
    punctuation, is furniture between the lead and the text rather than a subheading: a
    caption of the lead picture, a byline or reading time no trigger phrase caught, a
    `Contents` label over a table of contents, now and then the headline itself below a
    teaser. (A subheading comes after some text; the first paragraph is usually a
    standfirst.) A short sentence or a question stays. The caller removes these as
    metadata (`meta:after-lead`), so `headline_date` can still read a byline, a date or
    a headline from them."""
    first = next((i for i in range(start, end) if verdicts[i].cls in (GOOD, NEAR)), None)
    if first is None or first + 1 >= end:
        return []
    after = first + 1
    if verdicts[after].cls != SHORT or feats[after].sentence_end:
        return []
    return [after]


def has_end_marker(
    verdicts: list[Verdict],
    feats: list[Features],
    first: int,
    last: int,
    categories: tuple[str, ...],
) -> bool:
    """Whether a line of [first, last) is a removed trigger line of one of `categories`."""
    for i in range(first, last):
        trig = feats[i].trigger
        if verdicts[i].cls == BAD and trig is not None and trig.category in categories:
            return True
    return False


def cut_at_end_marker(
    verdicts: list[Verdict], feats: list[Features], start: int, end: int, params: ContextParams
) -> int:
    """Rule 2f: the block's new end. At the first end marker inside the block (a share bar,
    a newsletter or related header, a copyright line) after which the block holds at most
    `end_marker_share` of the text before it, the article is over: the rest is a
    newsletter box (`Get our politics newsletter`, its blurb, `Sign me up`, a disclaimer),
    an author or site box, a teaser. A share bar or related box between the lead and the
    text, or inline in a long article, has far more text after it."""
    share = params.end_marker_share
    text = [feats[i].chars if verdicts[i].cls in (GOOD, NEAR) else 0 for i in range(start, end)]
    total = sum(text)
    before = 0
    for k in range(start, end):
        before += text[k - start]
        if (
            before
            and total - before <= share * before
            and has_end_marker(verdicts, feats, k, k + 1, params.end_markers)
        ):
            return k
    return end
