#!/usr/bin/env python3
"""Render the khabar demo corpus.

Reads the hand-written articles in ``demo/authoring/*.json`` and renders them,
with per-outlet page boilerplate, into ``demo/corpus/`` (txt, html, jsonl, rss,
atom, tar.gz, a metadata sidecar and a set of broken inputs).  Writes the ground
truth to ``demo/truth.json`` and validates it against the rendered files.

Standard library only, Python 3.11.  Deterministic: running it twice produces
byte-identical output (no clocks, sorted keys, fixed archive mtimes).

    python demo/build.py
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import re
import shutil
import tarfile
import xml.etree.ElementTree as ET
from collections import Counter, OrderedDict
from datetime import date, datetime
from email.utils import format_datetime
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUTH = HERE / "authoring"
OUT = HERE / "corpus"
TRUTH = HERE / "truth.json"

AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
AR_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
LEV_MONTHS = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
EG_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
MAG_MONTHS = [
    "جانفي",
    "فيفري",
    "مارس",
    "أفريل",
    "ماي",
    "جوان",
    "جويلية",
    "أوت",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
MA_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
]
MONTH_STYLES = {"lev": LEV_MONTHS, "eg": EG_MONTHS, "mag": MAG_MONTHS, "ma": MA_MONTHS}

# --------------------------------------------------------------------------- load


def load_json(path: Path):
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def load_authoring():
    outlets = load_json(AUTH / "outlets.json")["outlets"]
    ents = load_json(AUTH / "entities.json")["entities"]
    st = load_json(AUTH / "stories.json")
    broken = load_json(AUTH / "broken.json")
    articles = []
    for p in sorted(AUTH.glob("articles_*.json")):
        articles.extend(load_json(p)["articles"])
    articles.sort(key=lambda a: a["key"])
    return outlets, ents, st["stories"], st["events"], broken, articles


# --------------------------------------------------------------------------- helpers


def parse_pub(s: str | None):
    if not s:
        return None
    if len(s) == 10:
        return datetime.fromisoformat(s + "T12:00:00+00:00")
    return datetime.fromisoformat(s)


def display_date(pub: str, style: str, digits: bool = False) -> str:
    d = parse_pub(pub)
    months = MONTH_STYLES[style]
    s = f"{AR_WEEKDAYS[d.weekday()]} {d.day} {months[d.month - 1]} {d.year}"
    if len(pub) > 10:
        s += f" - {d.hour:02d}:{d.minute:02d}"
    return s.translate(AR_DIGITS) if digits else s


def paragraphs(a):
    return [b for b in a["blocks"] if isinstance(b, str)]


def short_hash(text: str, n: int = 8) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def cut_title(title: str, words: int) -> str:
    if not words:
        return title
    return " ".join(title.split()[:words]) + "..."


def wrap(text: str, width: int, indent: str) -> str:
    """Break a long paragraph over several source lines (HTML whitespace)."""
    out, line = [], ""
    for w in text.split(" "):
        if line and len(line) + 1 + len(w) > width:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    out.append(line)
    return ("\n" + indent).join(out)


def esc(text: str, quote: bool = False) -> str:
    return html.escape(text, quote=quote)


class Page:
    """Collects the rendered pieces of one article and what each of them is."""

    def __init__(self):
        self.boilerplate: list[dict] = []
        self.captions: list[str] = []
        self.headings: list[str] = []

    def bp(self, text: str, kind: str):
        self.boilerplate.append({"text": text, "kind": kind})
        return text


# --------------------------------------------------------------------------- txt


def render_txt(a, o, slots):
    """Scraped-text page: headline line, blank line, page lines (blank-separated)."""
    ch = o["chrome"]
    pg = Page()
    groups: list[list[str]] = []

    def add(*lines, kind=None):
        if kind:
            for ln in lines:
                pg.bp(ln, kind)
        groups.append(list(lines))

    head = a["title"]
    if "tagline" in slots:
        head += ch["tagline"]
        pg.bp(ch["tagline"].strip(), "tagline")
    for slot in o["txt_layout"]:
        if slot not in slots and slot != "BODY":
            continue
        if slot == "fontsize":
            add(*ch["fontsize"], kind="widget")
        elif slot == "translate":
            add(ch["translate"], kind="widget")
        elif slot == "headline_repeat":
            add(a["title"], kind="headline")
        elif slot == "byline" and a.get("byline"):
            add(a["byline"], kind="byline")
        elif slot == "BODY":
            lead = paragraphs(a)[0]
            for b in a["blocks"]:
                if isinstance(b, str):
                    add(b)
                elif "h" in b:
                    pg.headings.append(b["h"])
                    add(b["h"], kind="heading")
                elif "photo" in b:
                    ph = b["photo"]
                    lines = []
                    if ph.get("label"):
                        lines.append(ph["label"])
                        pg.captions.append(ph["label"])
                        pg.bp(ph["label"], "caption")
                    if ph.get("caption"):
                        lines.append(ph["caption"])
                        pg.captions.append(ph["caption"])
                        pg.bp(ph["caption"], "caption")
                    if ph.get("en"):
                        lines.append(ph["en"])
                        pg.captions.append(ph["en"])
                        pg.bp(ph["en"], "other_language")
                    groups.append(lines)
                elif "dup" in b:
                    add(cut_title(a["title"], b["dup"]), lead, kind="duplicate")
                elif "ad" in b:
                    add(ch["ad"], kind="promo")
        elif slot == "source" and a.get("source_line"):
            add(a["source_line"], kind="source")
        elif slot == "share":
            add(*ch["share"], kind="widget")
        elif slot == "promo_app":
            add(ch["promo_app"], kind="promo")
        elif slot == "newsletter":
            add(ch["newsletter"], kind="promo")
        elif slot == "related":
            pool = ch["related_pool"]
            idx = a.get("related") or [0, 1, 2]
            lines = [ch["related_title"]]
            for i in idx:
                lines += pool[i]
            add(*lines, kind="related")
        elif slot == "comments_title":
            add(ch["comments_title"], kind="comments")
        elif slot == "reader_comments":
            for i, c in enumerate(a.get("comments", []), 1):
                add(f"{i}. يقول {c['who']}:", c["text"], kind="comments")
        elif slot == "comment_form":
            add(*ch["comment_form"], kind="comments")
        elif slot == "antispam":
            add(ch["antispam"], kind="comments")
    text = head + "\n\n" + "\n\n".join("\n".join(g) for g in groups) + "\n"
    return text, pg


# --------------------------------------------------------------------------- html


def jsonld(a, o, author):
    d = OrderedDict()
    d["@context"] = "https://schema.org"
    d["@type"] = "NewsArticle"
    d["headline"] = a["title"]
    d["datePublished"] = a["published"]
    d["dateModified"] = a["published"]
    d["inLanguage"] = a.get("language", "ar")
    d["mainEntityOfPage"] = {"@type": "WebPage", "@id": a["url"]}
    d["author"] = {
        "@type": "Person" if author and not author.startswith(o["name"]) else "Organization",
        "name": author or o["name"],
    }
    d["publisher"] = {
        "@type": "Organization",
        "name": o["name"],
        "logo": {"@type": "ImageObject", "url": f"https://{o['site']}/static/logo.png"},
    }
    d["image"] = f"https://{o['site']}/media/2026/{short_hash(a['key'])}.jpg"
    return json.dumps(d, ensure_ascii=False, indent=1)


def html_body_blocks(a, pg, style, quote_entities, width):
    """The article container content: paragraphs, headings, figures, ad slots."""
    out = []
    ind = "      "
    for b in a["blocks"]:
        if isinstance(b, str):
            t = esc(b, quote_entities)
            if width:
                t = wrap(t, width, ind)
            out.append(f"    <p>{t}</p>")
        elif "h" in b:
            pg.headings.append(b["h"])
            pg.bp(b["h"], "heading")
            tag = style["h"]
            out.append(f"    <{tag}>{esc(b['h'])}</{tag}>")
        elif "photo" in b:
            ph = b["photo"]
            if ph.get("label"):
                pg.captions.append(ph["label"])
                pg.bp(ph["label"], "caption")
                out.append(f'    <div class="photo-title">{esc(ph["label"])}</div>')
            src = f"https://{style['site']}/media/2026/{short_hash(a['key'] + str(len(out)))}.jpg"
            caps = []
            if ph.get("caption"):
                pg.captions.append(ph["caption"])
                pg.bp(ph["caption"], "caption")
                caps.append(ph["caption"])
            if ph.get("en"):
                pg.captions.append(ph["en"])
                pg.bp(ph["en"], "other_language")
                caps.append(ph["en"])
            out.append(
                f'    <figure class="{style["figure"]}">\n      <img src="{src}" alt="" width="800" height="450">'
            )
            for c in caps:
                out.append(f"      <figcaption>{esc(c)}</figcaption>")
            out.append("    </figure>")
        elif "ad" in b:
            pg.bp(style["ad"], "promo")
            out.append(
                f'    <div class="ad-slot"><span>{esc(style["ad"])}</span><ins class="adsbygoogle"></ins></div>'
            )
        elif "dup" in b:
            pass  # html outlets place the duplicate block above the body
    return "\n".join(out)


def render_html(a, o):
    ch = o["chrome"]
    st = o["html"]
    pg = Page()
    lang = a.get("language", "ar")
    rtl = lang == "ar"
    enc = a.get("encoding", "utf-8")
    charset = '<meta charset="windows-1256">' if enc == "windows-1256" else '<meta charset="utf-8">'
    title = a["title"]
    url = a["url"]
    qent = st.get("quote_entities", False)
    style = {
        "h": st.get("heading_tag", "h2"),
        "figure": st.get("figure_class", "wp-caption"),
        "site": o["site"],
        "ad": ch.get("ad", "إعلان"),
    }
    lead = paragraphs(a)[0]
    desc = lead[:150].rsplit(" ", 1)[0]
    L = []
    L.append(st.get("doctype", "<!DOCTYPE html>"))
    L.append(f'<html lang="{lang}" dir="{"rtl" if rtl else "ltr"}">')
    L.append("<head>")
    L.append(charset)
    L.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    L.append(f"<title>{esc(title)} | {esc(o['name'])}</title>")
    L.append(f'<meta name="description" content="{esc(desc, True)}">')
    L.append(f'<link rel="canonical" href="{url}">')
    L.append(f'<meta property="og:site_name" content="{esc(o["name"], True)}">')
    L.append('<meta property="og:type" content="article">')
    L.append(f'<meta property="og:title" content="{esc(title, True)}">')
    L.append(f'<meta property="og:url" content="{url}">')
    L.append(
        f'<meta property="og:image" content="https://{o["site"]}/media/2026/{short_hash(a["key"])}.jpg">'
    )
    if st.get("meta_time", True):
        L.append(f'<meta property="article:published_time" content="{a["published"]}">')
    if a.get("section"):
        L.append(f'<meta property="article:section" content="{esc(a["section"], True)}">')
    if a.get("byline"):
        L.append(f'<meta name="author" content="{esc(a["byline"], True)}">')
    L.append(f'<link rel="stylesheet" href="https://{o["site"]}/static/css/{st["css"]}">')
    if st.get("jsonld", True):
        L.append('<script type="application/ld+json">')
        L.append(jsonld(a, o, a.get("byline")))
        L.append("</script>")
    L.append('<script async src="https://ads.example/tag.js"></script>')
    L.append("</head>")
    L.append(f'<body class="{st["body_class"]}">')
    # header + nav
    L.append('<header class="site-header">')
    L.append(f'  <a class="logo" href="https://{o["site"]}/">{esc(o["name"])}</a>')
    if ch.get("slogan"):
        L.append(f'  <span class="slogan">{esc(ch["slogan"])}</span>')
    L.append('  <nav class="main-menu"><ul>')
    for i, m in enumerate(ch["menu"]):
        L.append(
            f'    <li><a href="https://{o["site"]}/{"" if i == 0 else "section/" + str(i) + "/"}">{esc(m)}</a></li>'
        )
    L.append("  </ul></nav>")
    L.append("</header>")
    crumbs = f'<a href="https://{o["site"]}/">{esc(ch["menu"][0])}</a> {st.get("crumb_sep", "»")} '
    crumbs += f'<a href="https://{o["site"]}/section/{a.get("section_no", 2)}/">{esc(a.get("section") or ch["menu"][2])}</a>'
    L.append(
        f'<div class="breadcrumbs">{crumbs} {st.get("crumb_sep", "»")} <span>{esc(title)}</span></div>'
    )
    L.append('<main id="main">')
    L.append(f'<article class="post post-{short_hash(a["key"], 6)}">')
    L.append(f'  <h1 class="entry-title">{esc(title)}</h1>')
    meta_bits = []
    if a.get("byline"):
        pg.bp(a["byline"], "byline")
        meta_bits.append(
            f'<span class="{st.get("byline_class", "byline")}">{esc(a["byline"])}</span>'
        )
    if lang == "ar":
        shown = display_date(a["published"], o["month_style"], o.get("digits") == "indic")
    else:
        shown = parse_pub(a["published"]).strftime("%A %d %B %Y, %H:%M")
    meta_bits.append(f'<time class="published" datetime="{a["published"]}">{esc(shown)}</time>')
    L.append(f'  <div class="entry-meta">{" ".join(meta_bits)}</div>')
    if "share" in a["chrome_set"]:
        for s in ch["share"]:
            pg.bp(s, "widget")
        share = " ".join(
            f'<a class="share-{i}" href="#">{esc(s)}</a>' if i else f"<span>{esc(s)}</span>"
            for i, s in enumerate(ch["share"])
        )
        L.append(f'  <div class="share-buttons">{share}</div>')
    if "fontsize" in a["chrome_set"]:
        for s in ch["fontsize"]:
            pg.bp(s, "widget")
        L.append(
            f'  <div class="font-size"><span>{esc(ch["fontsize"][0])}</span> <button>{esc(ch["fontsize"][1])}</button></div>'
        )
    dups = [b for b in a["blocks"] if isinstance(b, dict) and "dup" in b]
    if dups:
        t1 = pg.bp(cut_title(title, dups[0]["dup"]), "duplicate")
        pg.bp(lead, "duplicate")
        L.append(
            f'  <div class="post-excerpt"><strong>{esc(t1)}</strong>\n    <div class="excerpt">{esc(lead, qent)}</div></div>'
        )
    L.append(f'  <div class="{st["body_class_container"]}"{st.get("body_attr", "")}>')
    L.append(html_body_blocks(a, pg, style, qent, st.get("wrap", 0)))
    L.append("  </div>")
    if a.get("source_line"):
        pg.bp(a["source_line"], "source")
        L.append(f'  <div class="source-line">{esc(a["source_line"])}</div>')
    if a.get("tags"):
        L.append(
            '  <div class="post-tags">'
            + " ".join(
                f'<a rel="tag" href="https://{o["site"]}/tag/{short_hash(t, 6)}/">{esc(t)}</a>'
                for t in a["tags"]
            )
            + "</div>"
        )
    L.append("</article>")
    if "related" in a["chrome_set"]:
        pool = ch["related_pool"]
        idx = a.get("related") or [0, 1, 2]
        pg.bp(ch["related_title"], "related")
        L.append(f'<section class="related-posts">\n  <h3>{esc(ch["related_title"])}</h3>\n  <ul>')
        for i in idx:
            headline, when = pool[i]
            pg.bp(headline, "related")
            pg.bp(when, "related")
            L.append(
                f'    <li><a href="https://{o["site"]}/news/{short_hash(headline, 10)}">{esc(headline)}</a> <span class="date">{esc(when)}</span></li>'
            )
        L.append("  </ul>\n</section>")
    if "promo_app" in a["chrome_set"]:
        pg.bp(ch["promo_app"], "promo")
        L.append(
            f'<div class="app-promo"><a href="https://{o["site"]}/app">{esc(ch["promo_app"])}</a></div>'
        )
    if "newsletter" in a["chrome_set"]:
        pg.bp(ch["newsletter"][0], "promo")
        pg.bp(ch["newsletter"][1], "promo")
        L.append(
            f'<div class="newsletter-box">\n  <h4>{esc(ch["newsletter"][0])}</h4>\n  <p>{esc(ch["newsletter"][1])}</p>\n'
            f'  <form action="https://{o["site"]}/subscribe" method="post"><input type="email" name="email"><button type="submit">{esc(ch["newsletter_button"])}</button></form>\n</div>'
        )
    if "comments" in a["chrome_set"]:
        L.append('<section id="comments" class="comments-area">')
        cm = a.get("comments", [])
        if "comments_title" in ch:
            pg.bp(ch["comments_title"], "comments")
            L.append(f'  <h3 class="comments-title">{esc(ch["comments_title"])}</h3>')
        if cm:
            L.append('  <ol class="comment-list">')
            for i, c in enumerate(cm, 1):
                head = pg.bp(f"{i}. يقول {c['who']}:", "comments")
                pg.bp(c["text"], "comments")
                L.append(
                    f'    <li class="comment"><div class="comment-author">{esc(head)}</div>\n      <p>{esc(c["text"])}</p></li>'
                )
            L.append("  </ol>")
        form = ch["comment_form"]
        for s in form:
            pg.bp(s, "comments")
        L.append(f'  <div id="respond"><h3 class="comment-reply-title">{esc(form[0])}</h3>')
        L.append(f'    <p class="comment-notes">{esc(form[1])}</p>')
        L.append(
            f'    <form action="https://{o["site"]}/comment" method="post"><textarea name="comment"></textarea>'
            f'<input type="submit" value="{esc(ch["comment_submit"], True)}"></form>'
        )
        if "antispam" in a["chrome_set"]:
            pg.bp(ch["antispam"], "comments")
            L.append(f'    <p class="antispam-notice">{esc(ch["antispam"])}</p>')
        L.append("  </div>\n</section>")
    L.append("</main>")
    L.append('<footer class="site-footer">')
    L.append(f"  <p>{esc(ch['footer'])}</p>")
    L.append(
        '  <ul class="footer-links">'
        + "".join(f'<li><a href="#">{esc(x)}</a></li>' for x in ch["footer_links"])
        + "</ul>"
    )
    L.append("</footer>")
    L.append("</body>")
    L.append("</html>")
    return "\n".join(L) + "\n", pg


# --------------------------------------------------------------------------- feeds / api


def feed_html(a, pg):
    out = []
    for b in a["blocks"]:
        if isinstance(b, str):
            out.append(f"<p>{esc(b)}</p>")
        elif "h" in b:
            pg.headings.append(b["h"])
            pg.bp(b["h"], "heading")
            out.append(f"<h3>{esc(b['h'])}</h3>")
        elif "photo" in b:
            ph = b["photo"]
            caps = []
            for k, kind in (("caption", "caption"), ("en", "other_language")):
                if ph.get(k):
                    pg.captions.append(ph[k])
                    pg.bp(ph[k], kind)
                    caps.append(f"<figcaption>{esc(ph[k])}</figcaption>")
            out.append(
                f'<figure><img src="https://img.example/{short_hash(a["key"])}.jpg" alt="">{"".join(caps)}</figure>'
            )
    return "\n".join(out)


def api_text(a, sep):
    return sep.join(b for b in a["blocks"] if isinstance(b, str))


# --------------------------------------------------------------------------- html <p> extraction (validation)


class PExtractor(HTMLParser):
    VOID = {"img", "br", "meta", "link", "input", "hr", "source", "wbr"}

    def __init__(self, container_class=None):
        super().__init__(convert_charrefs=True)
        self.cc = container_class
        self.depth = 0 if container_class else 1
        self.ctag = None
        self.in_p = False
        self.buf = []
        self.paras = []

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class", "") or ""
        if self.cc and self.depth == 0 and self.cc in cls.split():
            self.depth, self.ctag = 1, tag
            return
        if self.cc and self.depth and tag == self.ctag:
            self.depth += 1
        if self.depth and tag == "p":
            self.in_p, self.buf = True, []

    def handle_endtag(self, tag):
        if self.depth and tag == "p" and self.in_p:
            self.in_p = False
            self.paras.append(" ".join("".join(self.buf).split()))
        if self.cc and self.depth and tag == self.ctag:
            self.depth -= 1

    def handle_data(self, data):
        if self.in_p:
            self.buf.append(data)


def p_texts(markup, container_class=None):
    px = PExtractor(container_class)
    px.feed(markup)
    px.close()
    return px.paras


# --------------------------------------------------------------------------- entities


LETTER = r"A-Za-z\u0621-\u063A\u0640-\u0652\u0670"


def find_token(text, form):
    return re.search(rf"(?<![{LETTER}]){re.escape(form)}(?![{LETTER}])", text) is not None


PREFIXES = ["و", "ل", "ب", "ف", "ك", "وب", "ول", "فب", "فل", "وك"]


def clitic_forms(v):
    forms = []
    for p in PREFIXES:
        if p.endswith("ل") and v.startswith("ال"):
            forms.append(p + v[1:])
        else:
            forms.append(p + v)
    return forms


# --------------------------------------------------------------------------- main build


def main():
    outlets, entities, stories, events, broken, articles = load_authoring()
    O = {o["id"]: o for o in outlets}
    EV = {e["id"]: e for e in events}
    if OUT.exists():
        shutil.rmtree(OUT)
    for sub in ("txt", "html", "jsonl", "rss", "archive", "broken"):
        (OUT / sub).mkdir(parents=True)

    truth_articles = []
    rendered_text: dict[str, str] = {}  # key -> full decoded text of its file/record (validation)
    jsonl_lines: dict[str, dict[int, str]] = {}
    feeds: dict[str, list] = {}
    archives: dict[str, list] = {}
    meta_rows = []
    checks = []  # (key, list of body paragraphs as the reader sees them)

    for a in articles:
        o = O[a["outlet"]]
        a.setdefault("language", "ar")
        a["chrome_set"] = set(a.get("chrome", o.get("default_chrome", [])))
        fmt = a["format"]
        enc = a.get("encoding", "utf-8")
        pg = Page()
        record = None
        if fmt in ("txt", "tar.gz"):
            text, pg = render_txt(a, o, a["chrome_set"])
            if fmt == "txt":
                (OUT / a["file"]).write_bytes(text.encode(enc))
                if a.get("meta", True):
                    row = OrderedDict(
                        file=a["file"], outlet=o["name"], published=a["published"], url=a["url"]
                    )
                    meta_rows.append(row)
            else:
                record = a["member"]
                archives.setdefault(a["file"], []).append((a["member"], text.encode(enc)))
            rendered_text[a["key"]] = text
            body_seen = None
        elif fmt == "html":
            text, pg = render_html(a, o)
            (OUT / a["file"]).write_bytes(text.encode(enc))
            rendered_text[a["key"]] = html.unescape(text)
            body_seen = p_texts(text, o["html"]["body_class_container"])
        elif fmt in ("rss", "atom"):
            content = feed_html(a, pg)
            feeds.setdefault(a["file"], []).append((a, content))
            rendered_text[a["key"]] = content
            body_seen = p_texts(content)
        elif fmt == "jsonl":
            api = o["api"]
            sep = api["sep"]
            body = api_text(a, sep)
            rec = OrderedDict()
            f = api["fields"]
            if "id" in api:
                rec[api["id"]] = a["api_id"]
            rec[f["title"]] = a["title"]
            rec[f["body"]] = body
            rec[f["url"]] = a["url"]
            rec[f["outlet"]] = o["name"]
            rec[f["published"]] = a["published"]
            rec[f["author"]] = a.get("byline")
            for k in api.get("extra", []):
                if k == "wordCount":
                    rec[k] = len(body.split())
                elif k == "lang":
                    rec[k] = a["language"]
                else:
                    rec[k] = a.get(k)
            record = a["line"]
            line = json.dumps(rec, ensure_ascii=False)
            jsonl_lines.setdefault(a["file"], {})[record] = line
            rendered_text[a["key"]] = body
            body_seen = body.split(sep)
        else:
            raise SystemExit(f"unknown format {fmt}")
        a["_record"] = record
        a["_pg"] = pg
        checks.append((a, body_seen))

    # ----- feeds
    for fname, items in feeds.items():
        items.sort(key=lambda t: parse_pub(t[0]["published"]), reverse=True)
        o = O[items[0][0]["outlet"]]
        fmt = items[0][0]["format"]
        newest = max(parse_pub(t[0]["published"]) for t in items)
        if fmt == "rss":
            x = [
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
                "<channel>",
                f"  <title>{esc(o['name'])}</title>",
                f"  <link>https://{o['site']}/</link>",
                f'  <atom:link href="https://{o["site"]}/feed/" rel="self" type="application/rss+xml"/>',
                f"  <description>{esc(o['chrome']['feed_description'])}</description>",
                "  <language>ar</language>",
                f"  <lastBuildDate>{format_datetime(newest)}</lastBuildDate>",
                "  <generator>https://wordpress.org/?v=6.4</generator>",
            ]
            for n, (a, content) in enumerate(items, 1):
                a["_record"] = n
                x += [
                    "  <item>",
                    f"    <title>{esc(a['title'])}</title>",
                    f"    <link>{a['url']}</link>",
                    f"    <dc:creator><![CDATA[{a['byline']}]]></dc:creator>",
                    f"    <pubDate>{format_datetime(parse_pub(a['published']))}</pubDate>",
                ]
                for t in a.get("tags", []):
                    x.append(f"    <category><![CDATA[{t}]]></category>")
                x += [
                    f'    <guid isPermaLink="false">https://{o["site"]}/?p={a["api_id"]}</guid>',
                    f"    <description><![CDATA[{paragraphs(a)[0][:160].rsplit(' ', 1)[0]} [&#8230;]]]></description>",
                    f"    <content:encoded><![CDATA[{content}]]></content:encoded>",
                    "  </item>",
                ]
            x += ["</channel>", "</rss>"]
        else:
            x = [
                '<?xml version="1.0" encoding="utf-8"?>',
                '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">',
                f"  <title>{esc(o['name'])}</title>",
                f"  <subtitle>{esc(o['chrome']['feed_description'])}</subtitle>",
                f'  <link href="https://{o["site"]}/" rel="alternate"/>',
                f'  <link href="https://{o["site"]}/atom.xml" rel="self"/>',
                f"  <id>https://{o['site']}/</id>",
                f"  <updated>{newest.isoformat()}</updated>",
            ]
            for n, (a, content) in enumerate(items, 1):
                a["_record"] = n
                x += [
                    "  <entry>",
                    f"    <title>{esc(a['title'])}</title>",
                    f'    <link href="{a["url"]}" rel="alternate"/>',
                    f"    <id>tag:{o['site']},2026:{a['api_id']}</id>",
                    f"    <published>{a['published']}</published>",
                    f"    <updated>{a['published']}</updated>",
                    f"    <author><name>{esc(a['byline'])}</name></author>",
                ]
                for t in a.get("tags", []):
                    x.append(f'    <category term="{esc(t, True)}"/>')
                x += [
                    f"    <summary>{esc(paragraphs(a)[0][:160].rsplit(' ', 1)[0])}…</summary>",
                    f'    <content type="html">{esc(content)}</content>',
                    "  </entry>",
                ]
            x.append("</feed>")
        (OUT / fname).write_text("\n".join(x) + "\n", encoding="utf-8")

    # ----- jsonl (+ the broken lines)
    for b in broken:
        if b.get("raw") is not None:
            jsonl_lines.setdefault(b["file"], {})[b["record"]] = b["raw"]
        elif b.get("json") is not None:
            jsonl_lines.setdefault(b["file"], {})[b["record"]] = json.dumps(
                b["json"], ensure_ascii=False
            )
    for fname, lines in jsonl_lines.items():
        n = max(lines)
        assert sorted(lines) == list(range(1, n + 1)), (fname, sorted(lines))
        (OUT / fname).write_text(
            "\n".join(lines[i] for i in range(1, n + 1)) + "\n", encoding="utf-8"
        )

    # ----- archives
    for fname, members in archives.items():
        raw = io.BytesIO()
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tf:
            for name, data in sorted(members):
                ti = tarfile.TarInfo(name)
                ti.size, ti.mtime, ti.mode = len(data), 0, 0o644
                ti.uid = ti.gid = 0
                ti.uname = ti.gname = ""
                tf.addfile(ti, io.BytesIO(data))
        gz = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=gz, mtime=0, compresslevel=9) as g:
            g.write(raw.getvalue())
        (OUT / fname).write_bytes(gz.getvalue())

    # ----- sidecar
    meta_rows.sort(key=lambda r: r["file"])
    (OUT / "meta.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in meta_rows), encoding="utf-8"
    )

    # ----- broken files
    (OUT / "broken" / "empty.txt").write_bytes(b"")
    junk = bytearray()
    h = b"khabar-demo-junk"
    while len(junk) < 3072:
        h = hashlib.sha256(h).digest()
        junk += h
    for i in range(0, len(junk), 97):
        junk[i] = 0
    (OUT / "broken" / "junk.bin").write_bytes(bytes(junk[:3072]))
    cut = load_json(AUTH / "outlets.json")["cut_html"]
    (OUT / "broken" / "cut.html").write_text(cut, encoding="utf-8")

    # ----- truth
    O_name = {o["id"]: o["name"] for o in outlets}
    ent_ids = [e["id"] for e in entities]
    for a, body_seen in checks:
        pg = a["_pg"]
        fmt = a["format"]
        if fmt == "tar.gz" or (fmt == "txt" and not a.get("meta", True)):
            outlet = url = published = None
        else:
            outlet, url, published = O_name[a["outlet"]], a["url"], a["published"]
        ev = EV[a["event"]]
        text_for_entities = "\n".join([a["title"], *paragraphs(a), *pg.captions, *pg.headings])
        ents = []
        for e in entities:
            if e["id"] in a.get("entities_exclude", []):
                continue
            if any(find_token(text_for_entities, v) for v in e["variants"]) or e["id"] in a.get(
                "entities_extra", []
            ):
                ents.append(e["id"])
        t = OrderedDict()
        t["key"] = a["key"]
        t["file"] = a["file"]
        t["record"] = a["_record"]
        t["format"] = fmt
        t["encoding"] = a.get("encoding", "utf-8")
        t["outlet"] = outlet
        t["url"] = url
        t["published"] = published
        t["language"] = a["language"]
        t["event"] = a["event"]
        t["story"] = ev["story"]
        t["copy_of"] = a.get("copy_of")
        t["title"] = a["title"]
        t["dateline"] = a.get("dateline")
        t["byline"] = a.get("byline")
        t["source_line"] = a.get("source_line")
        t["captions"] = pg.captions
        t["headings"] = pg.headings
        t["body"] = paragraphs(a)
        bpl = list(pg.boilerplate)
        if a.get("dateline"):
            bpl.append({"text": a["dateline"]["text"], "kind": "dateline"})
        t["boilerplate"] = bpl
        t["entities"] = sorted(ents, key=ent_ids.index)
        t["quotes"] = a.get("quotes", [])
        t["dates"] = a.get("dates", [])
        truth_articles.append(t)
        a["_truth"] = t

    truth = OrderedDict()
    truth["version"] = 1
    truth["outlets"] = [
        OrderedDict((k, o[k]) for k in ("id", "name", "site", "country", "language"))
        for o in outlets
    ]
    truth["stories"] = stories
    truth["events"] = events
    truth["entities"] = [
        OrderedDict((k, e[k]) for k in ("id", "type", "name", "name_en", "variants"))
        for e in entities
    ]
    truth["articles"] = truth_articles
    truth["broken"] = [
        OrderedDict((k, b[k]) for k in ("file", "record", "code", "why"))
        for b in broken_list(broken)
    ]
    TRUTH.write_text(
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )

    validate(truth, articles, checks, rendered_text, entities, outlets)
    summary(truth)


def broken_list(broken):
    return sorted(broken, key=lambda b: (b["file"], b["record"] or 0))


# --------------------------------------------------------------------------- validation


def decoded_file(path: Path, enc: str) -> str:
    return path.read_bytes().decode(enc)


def norm_ws(s):
    return " ".join(s.split())


def validate(truth, articles, checks, rendered_text, entities, outlets):
    errors = []
    A = {a["key"]: a for a in articles}
    titles = Counter(t["title"] for t in truth["articles"])
    for k, n in titles.items():
        if n > 1:
            errors.append(f"duplicate headline: {k}")
    for a, body_seen in checks:
        t = a["_truth"]
        key = a["key"]
        fmt = a["format"]
        # what a reader of this input sees
        if fmt in ("txt",):
            raw = decoded_file(OUT / a["file"], t["encoding"])
            hay = raw
        elif fmt == "tar.gz":
            with tarfile.open(OUT / a["file"], "r:gz") as tf:
                raw = tf.extractfile(a["member"]).read().decode(t["encoding"])
            hay = raw
        elif fmt == "html":
            raw = decoded_file(OUT / a["file"], t["encoding"])
            hay = norm_ws(html.unescape(raw))
        elif fmt in ("rss", "atom"):
            hay = norm_ws(html.unescape(rendered_text[key]))
        else:
            hay = rendered_text[key]
        if fmt in ("txt", "tar.gz"):
            first, rest = raw.split("\n\n", 1)
            if not first.startswith(t["title"]):
                errors.append(f"{key}: first line is not the headline")
            lines = [ln for ln in rest.split("\n") if ln.strip()]
            body_seen = [ln for ln in lines if ln in t["body"]]
            # order + presence
            it = iter(lines)
            for p in t["body"]:
                if not any(ln == p for ln in it):
                    errors.append(f"{key}: body paragraph missing/out of order: {p[:40]}")
        if body_seen is not None and fmt not in ("txt", "tar.gz"):
            if [norm_ws(x) for x in body_seen] != t["body"]:
                errors.append(
                    f"{key}: extracted body differs from truth ({len(body_seen)} vs {len(t['body'])})"
                )
        for field in ("captions", "headings"):
            for s in t[field]:
                if norm_ws(s) not in hay and s not in hay:
                    errors.append(f"{key}: {field} text not in file: {s[:40]}")
        for b in t["boilerplate"]:
            if norm_ws(b["text"]) not in hay and b["text"] not in hay:
                errors.append(f"{key}: boilerplate not in file: {b['text'][:40]}")
        if t["dateline"]:
            if (
                not t["body"][0].startswith(t["dateline"]["text"])
                and t["dateline"]["text"] not in t["body"][0]
            ):
                errors.append(f"{key}: dateline not at start of lead")
        for f in ("byline", "source_line"):
            if t[f] and t[f] not in hay and norm_ws(t[f]) not in hay:
                # jsonl byline lives in its own field
                if fmt not in ("jsonl", "rss", "atom"):
                    errors.append(f"{key}: {f} not in file")
        body_all = "\n".join(t["body"])
        for q in t["quotes"]:
            if q["text"] not in body_all:
                errors.append(f"{key}: quote not in body: {q['text'][:50]}")
            if q["kind"] not in ("direct", "reported"):
                errors.append(f"{key}: bad quote kind")
            if (
                q["speaker"].startswith("N")
                and q["speaker"][1:].isdigit()
                and q["speaker"] not in t["entities"]
            ):
                errors.append(f"{key}: quote speaker {q['speaker']} not among the article entities")
        full = "\n".join([t["title"], *t["body"], *t["captions"]])
        for d in t["dates"]:
            if d["text"] not in full:
                errors.append(f"{key}: date text not found: {d['text']}")
            if d["role"] not in ("event", "mention", "caption", "publication"):
                errors.append(f"{key}: bad date role {d['role']}")
            v = d["value"]
            if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?", v):
                errors.append(f"{key}: bad date value {v}")
        if not 2 <= len(t["dates"]) <= 6:
            errors.append(f"{key}: {len(t['dates'])} dates")
        if t["language"] == "ar" and not 2 <= len(t["quotes"]) <= 5:
            errors.append(f"{key}: {len(t['quotes'])} quotes")
        wc = len(" ".join(t["body"]).split())
        if not 120 <= wc <= 400:
            errors.append(f"{key}: {wc} words")
        if t["copy_of"] and t["copy_of"] not in A:
            errors.append(f"{key}: copy_of unknown")
    # entities: every variant somewhere, clitic forms listed
    corpus = []
    for a, _ in checks:
        corpus.append(rendered_text[a["key"]])
        corpus.append(a["title"])
    corpus_text = "\n".join(corpus)
    all_variants = {}
    for e in entities:
        for v in e["variants"]:
            if v in all_variants and all_variants[v] != e["id"]:
                errors.append(f"variant {v} used by {all_variants[v]} and {e['id']}")
            all_variants[v] = e["id"]
            if not find_token(corpus_text, v):
                errors.append(f"entity {e['id']} variant never used: {v}")
    for e in entities:
        for v in e["variants"]:
            if re.search(r"[A-Za-z]", v):
                continue
            for f in clitic_forms(v):
                if (
                    f not in all_variants
                    and find_token(corpus_text, f)
                    and f not in e.get("not_variants", [])
                ):
                    errors.append(f"entity {e['id']}: clitic form used but not listed: {f}")
    # minimums
    arts = truth["articles"]
    ar = [t for t in arts if t["language"] == "ar"]
    en = [t for t in arts if t["language"] == "en"]
    outl = {a["outlet"] for a in articles}
    evs = truth["events"]
    sts = truth["stories"]
    per_event = Counter(t["event"] for t in arts)
    need = [
        (len(ar) >= 44, f"{len(ar)} arabic articles"),
        (len(en) >= 1, "english article"),
        (len(outl) >= 7, f"{len(outl)} outlets"),
        (len(sts) >= 5, "stories"),
        (len(evs) >= 12, "events"),
    ]
    for e in evs:
        need.append(
            (1 <= per_event[e["id"]] <= 5, f"event {e['id']} has {per_event[e['id']]} articles")
        )
    long_story = False
    for s in sts:
        es = sorted(e["date"] for e in evs if e["story"] == s["id"])
        if len(es) >= 4 and (date.fromisoformat(es[-1]) - date.fromisoformat(es[0])).days >= 89:
            long_story = True
    need.append((long_story, "a story over 3 months with >= 4 events"))
    pubs = sorted(t["published"][:10] for t in arts if t["published"])
    need.append(
        ((date.fromisoformat(pubs[-1]) - date.fromisoformat(pubs[0])).days >= 90, "3 months span")
    )
    copies = Counter(t["copy_of"] for t in arts if t["copy_of"])
    need.append((any(n >= 3 for n in copies.values()), "a wire dispatch with 3 copies"))
    kinds = {}
    for a, _ in checks:
        if a["format"] in ("txt", "html", "tar.gz"):
            for b in a["_truth"]["boilerplate"]:
                kinds.setdefault(b["kind"], set()).add(a["outlet"])
    for k in (
        "duplicate",
        "headline",
        "tagline",
        "heading",
        "caption",
        "byline",
        "dateline",
        "source",
        "related",
        "comments",
        "widget",
        "promo",
        "other_language",
    ):
        need.append(
            (
                len(kinds.get(k, ())) >= 2,
                f"boilerplate kind {k} in >= 2 outlets ({sorted(kinds.get(k, ()))})",
            )
        )
    encs = Counter((t["format"], t["encoding"]) for t in arts)
    need.append(
        (
            encs[("txt", "windows-1256")] == 1 and encs[("html", "windows-1256")] == 1,
            "one cp1256 txt + html",
        )
    )
    need.append(
        (
            sum(1 for t in arts if t["format"] == "txt" and t["published"] is None) == 2,
            "2 txt without metadata",
        )
    )
    for ok, what in need:
        if not ok:
            errors.append("minimum not met: " + what)
    # broken inputs
    assert (OUT / "broken" / "empty.txt").stat().st_size == 0
    assert b"\x00" in (OUT / "broken" / "junk.bin").read_bytes()
    cut = (OUT / "broken" / "cut.html").read_text(encoding="utf-8")
    assert "<body" not in cut and "</head>" not in cut and "<p>" not in cut
    for b in truth["broken"]:
        if b["record"]:
            lines = (OUT / b["file"]).read_text(encoding="utf-8").split("\n")
            ln = lines[b["record"] - 1]
            if b["code"] == "E105":
                try:
                    json.loads(ln)
                    errors.append("malformed line parses")
                except json.JSONDecodeError:
                    pass
            if b["code"] == "E202":
                rec = json.loads(ln)
                if (rec.get("content") or rec.get("body") or "").strip():
                    errors.append("empty-content record has content")
    # the atom + rss parse as XML; junk.bin is not text
    for p in sorted((OUT / "rss").glob("*")):
        ET.parse(p)
    try:
        (OUT / "broken" / "junk.bin").read_bytes().decode("utf-8")
        errors.append("junk.bin decodes as UTF-8")
    except UnicodeDecodeError:
        pass
    if errors:
        print("\n".join(errors))
        raise SystemExit(f"{len(errors)} validation errors")


def summary(truth):
    arts = truth["articles"]
    print(
        f"khabar demo corpus: {len(arts)} articles, {len(truth['outlets'])} outlets, "
        f"{len(truth['stories'])} stories, {len(truth['events'])} events, {len(truth['entities'])} entities"
    )
    print(
        "per outlet:  "
        + ", ".join(
            f"{k or '(none)'}: {v}"
            for k, v in sorted(Counter(t["outlet"] for t in arts).items(), key=lambda x: str(x[0]))
        )
    )
    print(
        "per format:  "
        + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(t["format"] for t in arts).items()))
    )
    print(
        "per story:   "
        + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(t["story"] for t in arts).items()))
    )
    ev = Counter(t["event"] for t in arts)
    print(
        "events:      "
        + ", ".join(f"{e['id']} {e['date']}({ev[e['id']]})" for e in truth["events"])
    )
    pubs = sorted(t["published"][:10] for t in arts if t["published"])
    print(
        f"published:   {pubs[0]} .. {pubs[-1]}; {sum(1 for t in arts if not t['published'])} without a date"
    )
    print(
        f"languages:   {dict(Counter(t['language'] for t in arts))}; encodings: {dict(Counter(t['encoding'] for t in arts))}"
    )
    print(
        f"copies:      {sum(1 for t in arts if t['copy_of'])}; broken inputs: {len(truth['broken'])}"
    )
    print(f"truth:       {TRUTH.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
