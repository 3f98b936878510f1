"""How what units wrote becomes the Department's own synthesis: whole sentences, themes, grammatical counts.

A quote is never cut inside a word or a sentence: it is the unit's text flattened (bullets and line breaks
become sentences) or a prefix of it ending at a sentence's end. Units' points are grouped under the
campaign's themes (campaign.models.Theme, data) with how many units raised them and at most two short
whole-sentence examples.
"""

import re
import unicodedata

# A sentence ends at . ! ? or … (closing quotes and brackets may follow) before a space or the end.
SENTENCE_END = re.compile(r"[.!?…][”\"’)\]]*(?=\s|$)")
BULLET = re.compile(r"^\s*(?:[-+•*–]|\d+[.)]|[a-zđ][.)])\s+")
TERMINAL = (".", "!", "?", "…", ".”", "!”", "?”", "…”", '."', ".)")

QUOTE_CHARS = 250  # a quote's length, at most: about three lines of the body
EXAMPLE_CHARS = 180  # an example under a theme: one short sentence
EXAMPLES_PER_THEME = 2
OTHER_THEME = "Nội dung khác"


def _lines(text):
    """The text's non-empty lines without bullet marks; a line not ending as a sentence or a lead-in (":")
    gets a full stop."""
    lines = []
    for line in (text or "").splitlines():
        line = " ".join(BULLET.sub("", line).split())
        if not line:
            continue
        if not line.endswith((*TERMINAL, ":")):
            line = line.rstrip(" ,;-–") + "."
        lines.append(line)
    return lines


def flatten(text):
    """The text as one paragraph of sentences: bullet marks dropped, each line ended as a sentence."""
    return " ".join(_lines(text))


def sentences(text):
    """The flattened text's sentences, in order; a lead-in line ("…, phòng đã:") is one sentence of its own."""
    parts = []
    for line in _lines(text):
        start = 0
        for match in SENTENCE_END.finditer(line):
            parts.append(line[start : match.end()].strip())
            start = match.end()
        rest = line[start:].strip()
        if rest:
            parts.append(rest)
    return [part for part in parts if part]


def quote(text, limit=QUOTE_CHARS):
    """The unit's text, or its longest prefix of whole sentences within `limit` (a lead-in such as "Trong năm,
    phòng đã:" only together with what follows it); "" when not even the first sentence fits: nothing is ever
    cut, and the unit is then not quoted."""
    flat = flatten(text)
    if len(flat) <= limit and not flat.endswith(":"):
        return flat
    quoted, current = "", ""
    for sentence in sentences(text):
        current = f"{current} {sentence}".strip()
        if len(current) > limit:
            break
        if not sentence.endswith(":"):
            quoted = current
    return quoted


def units_phrase(count):
    """ "3 phòng, đơn vị" (the plan's own words for the Department's units)."""
    return f"{count:,}".replace(",", ".") + " phòng, đơn vị"


def lower_first(text):
    return text[:1].lower() + text[1:] if text else text


# The marks NFD splits off Vietnamese letters (every tone and vowel mark is in this block).
COMBINING_MARKS = re.compile("[\u0300-\u036f]")


def _folded(text):
    """Lower case without marks, for matching keywords ("Chuyển đổi số" ~ "chuyen doi so")."""
    plain = COMBINING_MARKS.sub("", unicodedata.normalize("NFD", text.lower().replace("đ", "d")))
    return " " + " ".join(plain.split()) + " "


def folded_themes(themes):
    """(label, keywords folded and padded) of each theme, computed once for all the sentences of a compile."""
    return [(theme["label"], [f" {_folded(keyword).strip()} " for keyword in theme["keywords"]]) for theme in themes]


def theme_of(sentence, themes):
    """The label of the theme the sentence names most keywords of (the first in order on a tie), else
    OTHER_THEME. `themes` as folded_themes gives them."""
    folded = _folded(re.sub(r"[^\w\s]", " ", sentence))
    best, best_hits = OTHER_THEME, 0
    for label, keywords in themes:
        hits = sum(1 for keyword in keywords if keyword in folded)
        if hits > best_hits:
            best, best_hits = label, hits
    return best


def _gist(text):
    """A sentence without its figures, to tell two units' same sentence apart from different ones."""
    return _folded(re.sub(r"[\d\W]+", " ", text))


def group_by_theme(texts, themes):
    """texts: [(unit name, text)] in unit order → [{"label", "units", "examples": [{"unit", "text"}]}].

    Themes in the campaign's order (OTHER_THEME last), each with the number of units that raised it and at
    most EXAMPLES_PER_THEME examples: short whole sentences of different units, different from each other.
    """
    labels = [theme["label"] for theme in themes] + [OTHER_THEME]
    keywords = folded_themes(themes)
    # Units as dict keys: their order kept, each found in constant time (a thousand units, many sentences each).
    grouped = {label: {"label": label, "units": {}, "examples": [], "gists": set()} for label in labels}
    for unit, text in texts:
        for sentence in sentences(text):
            if sentence.endswith(":"):
                continue
            group = grouped[theme_of(sentence, keywords)]
            group["units"][unit] = True
            examples = group["examples"]
            if len(examples) >= EXAMPLES_PER_THEME or len(sentence) > EXAMPLE_CHARS:
                continue
            gist = _gist(sentence)
            if any(example["unit"] == unit for example in examples) or gist in group["gists"]:
                continue
            examples.append({"unit": unit, "text": sentence})
            group["gists"].add(gist)
    return [
        {"label": group["label"], "units": len(group["units"]), "examples": group["examples"]}
        for group in grouped.values()
        if group["units"]
    ]


def same_point(one, other):
    """Whether two proposals say the same thing (marks, case and spacing aside)."""
    return _folded(re.sub(r"[^\w\s]", " ", one)) == _folded(re.sub(r"[^\w\s]", " ", other))


def split_causes(texts):
    """texts: [(unit, text)] of shortcomings → (shortcomings, causes): the sentences that give a cause
    ("Nguyên nhân: …") go to the causes, whole; each unit keeps its own."""
    shortcomings, causes = [], []
    for unit, text in texts:
        said = [sentence for sentence in sentences(text) if not sentence.endswith(":")]
        why = [sentence for sentence in said if _folded(sentence).strip().startswith("nguyen nhan")]
        rest = [sentence for sentence in said if sentence not in why]
        if rest:
            shortcomings.append((unit, " ".join(rest)))
        if why:
            causes.append((unit, " ".join(why)))
    return shortcomings, causes
