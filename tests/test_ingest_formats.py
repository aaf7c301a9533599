"""Every input format khabar reads, through the Engine, checked field by field."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from khabar.engine import Engine
from tests.conftest import BODY, ENGLISH, HEADLINE, PARAGRAPHS, gzip_bytes, html_page, text_article

Write = Callable[..., Path]


def only(engine: Engine):  # type: ignore[no-untyped-def]
    articles = list(engine.articles())
    assert len(articles) == 1, [a.origin for a in articles]
    return articles[0]


def test_plain_text_headline_blank_line_body(engine: Engine, write: Write) -> None:
    path = write("bridge.txt", text_article())
    report = engine.ingest([path])
    assert report.counts.added == 1 and report.total_rejected == 0
    article = only(engine)
    assert article.title == HEADLINE
    assert article.text == BODY
    assert article.origin == str(path)
    assert article.format == "txt" and article.encoding == "utf-8" and article.language == "ar"
    assert article.published_at is None and article.published_provenance == "unknown"


def test_plain_text_without_blank_line_is_all_body(engine: Engine, write: Write) -> None:
    engine.ingest([write("flat.txt", BODY)])
    article = only(engine)
    assert article.title is None and article.text == BODY


def test_crlf_and_blank_lines_become_one_paragraph_per_line(engine: Engine, write: Write) -> None:
    raw = f"{HEADLINE}\r\n\r\n" + "\r\n\r\n\r\n".join(f"  {p}  " for p in PARAGRAPHS) + "\r\n"
    engine.ingest([write("crlf.txt", raw)])
    assert only(engine).text == BODY


def test_jsonl_with_common_field_names_keeps_the_rest_as_meta(engine: Engine,
                                                             write: Write) -> None:
    rows = [
        {"title": HEADLINE, "content": BODY, "url": "https://nahr.example/a?utm_source=x",
         "source": "صحيفة النهر", "published": "2026-03-15 09:30:00", "author": "سلمى الراوي",
         "section": "محليات"},
        {"headline": "عنوان ثان عن الطقس", "body": "تشهد البلاد موجة حر شديدة هذا الأسبوع.",
         "link": "https://other.example/b", "site": "الموقع الآخر",
         "datePublished": "2026-03-16T08:00:00Z", "byline": "مراسلنا", "tags": ["طقس"]},
    ]
    path = write("feed.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    report = engine.ingest([path])
    assert report.counts.added == 2
    first, second = engine.articles()
    assert (first.title, first.outlet, first.byline) == (HEADLINE, "صحيفة النهر", "سلمى الراوي")
    assert first.published_at == "2026-03-15T09:30:00" and first.published_precision == "time"
    assert first.published_provenance == "metadata"
    assert first.meta["section"] == "محليات" and first.origin == f"{path}#1"
    assert second.published_at == "2026-03-16T08:00:00+00:00"
    assert second.meta["tags"] == ["طقس"] and second.outlet == "الموقع الآخر"


def test_json_array_saudinewsnet_shape_inside_a_zip(engine: Engine, write: Write) -> None:
    records = [{"source": "alnahr", "url": f"http://nahr.example/{i}",
                "date_extracted": "2015-07-21 02:51:32", "title": f"خبر رقم {i}",
                "author": "الرياض: مراسلنا", "content": f"{BODY} ({i})"} for i in range(3)]
    records.append({"source": "alnahr", "url": "http://nahr.example/empty",
                    "date_extracted": "2015-07-21 03:00:00", "title": "فارغ", "author": "",
                    "content": ""})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2015-07-21.json", json.dumps(records, ensure_ascii=False))
    path = write("2015-07-21.zip", buffer.getvalue())
    report = engine.ingest([path])
    assert report.counts.added == 3
    assert dict(report.rejected) == {"E202": 1}
    assert report.rejections[0].origin == f"{path}::2015-07-21.json#4"
    article = next(engine.articles())
    assert article.published_at == "2015-07-21T02:51:32"
    assert article.meta["published_field"] == "date_extracted"
    assert article.fetched_at == "2015-07-21T02:51:32"


def test_json_object_wrapping_a_list(engine: Engine, write: Write) -> None:
    data = {"status": "ok", "articles": [{"title": HEADLINE, "text": BODY}]}
    engine.ingest([write("api.json", json.dumps(data, ensure_ascii=False))])
    assert only(engine).title == HEADLINE


def test_html_page_metadata_and_main_text(engine: Engine, write: Write) -> None:
    engine.ingest([write("page.html", html_page(caption="صورة الجسر الجديد (تصوير: علي حسن)"))])
    article = only(engine)
    assert article.title == HEADLINE
    assert article.outlet == "صحيفة النهر"
    assert article.url == "https://nahr.example/news/bridge-opening"
    assert article.published_at == "2026-03-15T09:30:00+03:00"
    assert article.published_provenance == "html" and article.format == "html"
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    assert "الرئيسية" not in article.text and "جميع الحقوق" not in article.text
    assert article.captions == ["صورة الجسر الجديد (تصوير: علي حسن)"]


def test_html_json_ld_and_title_suffix(engine: Engine, write: Write) -> None:
    page = html_page(json_ld=True, site="صحيفة النهر")
    page = page.replace('<meta property="og:site_name" content="صحيفة النهر">', "")
    engine.ingest([write("ld.html", page)])
    article = only(engine)
    assert article.title == HEADLINE
    assert article.outlet == "صحيفة النهر"
    assert article.byline == "سلمى الراوي"
    assert article.published_at == "2026-03-15T09:30:00+03:00"


def test_sidecar_overrides_the_page_and_metadata_beats_html(engine: Engine, write: Write,
                                                           tmp_path: Path) -> None:
    write("site/page.html", html_page())
    write("site/plain.txt", text_article("خبر بلا تاريخ", BODY + " إضافة"))
    meta = tmp_path / "meta.jsonl"
    meta.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"file": "site/plain.txt", "outlet": "وكالة المدينة", "published": "2026-03-01",
         "note": "inferred"},
        {"url": "https://nahr.example/news/bridge-opening", "published": "2026-03-14"},
    ]), "utf-8")
    engine.ingest([tmp_path / "in"], meta=meta)
    by_title = {a.title: a for a in engine.articles()}
    plain = by_title["خبر بلا تاريخ"]
    assert (plain.outlet, plain.published_at) == ("وكالة المدينة", "2026-03-01")
    assert plain.published_provenance == "metadata" and plain.meta["note"] == "inferred"
    page = by_title[HEADLINE]
    assert (page.published_at, page.published_provenance) == ("2026-03-14", "metadata")


def test_sidecar_inside_the_folder_is_not_read_as_articles(engine: Engine, write: Write) -> None:
    write("a.txt", text_article())
    meta = write("meta.jsonl", json.dumps({"file": "a.txt", "outlet": "س"}))
    report = engine.ingest([meta.parent], meta=meta)
    assert report.articles == 1 and report.total_rejected == 0


def test_rss_with_full_content_and_atom(engine: Engine, write: Write) -> None:
    html_body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    rss = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>صحيفة النهر</title><link>https://nahr.example/</link><language>ar</language>
<item><title>{HEADLINE}</title><link>https://nahr.example/news/1</link>
<pubDate>Sun, 15 Mar 2026 09:30:00 +0300</pubDate><dc:creator>سلمى الراوي</dc:creator>
<description>ملخص قصير</description>
<content:encoded><![CDATA[{html_body}]]></content:encoded></item>
</channel></rss>"""
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Bridge Times</title>
<entry><title>New bridge opens</title><link href="https://bridge.example/1"/>
<published>2026-03-15T10:00:00Z</published><author><name>Sam Reed</name></author>
<content type="html">&lt;p&gt;{ENGLISH}&lt;/p&gt;</content></entry></feed>"""
    write("feeds/nahr.xml", rss)
    write("feeds/bridge.atom", atom)
    report = engine.ingest([write("feeds/nahr.xml", rss).parent])
    assert report.counts.added == 2
    by_format = {a.format: a for a in engine.articles()}
    item = by_format["rss"]
    assert item.text == BODY and item.outlet == "صحيفة النهر" and item.byline == "سلمى الراوي"
    assert item.published_at == "2026-03-15T09:30:00+03:00" and item.language == "ar"
    entry = by_format["atom"]
    assert entry.text == ENGLISH and entry.language == "en" and entry.byline == "Sam Reed"


def _warc(pages: list[tuple[str, str, str]], gz: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for url, content_type, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(body.encode("utf-8")), http_headers=headers))
    return buffer.getvalue()


def test_warc_and_warc_gz_html_responses_only(engine: Engine, write: Write) -> None:
    pages = [
        ("https://nahr.example/news/bridge-opening", "text/html; charset=utf-8", html_page()),
        ("https://nahr.example/style.css", "text/css", "body { color: red }"),
    ]
    write("crawl.warc", _warc(pages, gz=False))
    write("crawl2.warc.gz", _warc([("https://nahr.example/x", "text/html",
                                    html_page(title="عنوان آخر", canonical=None))], gz=True))
    report = engine.ingest([write("crawl.warc", _warc(pages, gz=False)).parent])
    assert report.counts.added == 2 and report.total_rejected == 0
    urls = sorted(a.url or "" for a in engine.articles())
    assert urls == ["https://nahr.example/news/bridge-opening", "https://nahr.example/x"]
    assert {a.format for a in engine.articles()} == {"warc"}
    assert all(a.fetched_at for a in engine.articles())


def test_folders_zip_tar_targz_and_gz(engine: Engine, write: Write, tmp_path: Path) -> None:
    texts = {f"story{i}.txt": text_article(f"{HEADLINE} {i}", f"{BODY} {i}") for i in range(5)}
    write("nested/deeper/story0.txt", texts["story0.txt"])
    zip_buffer = io.BytesIO()
    with zipfile.ZipFile(zip_buffer, "w") as archive:
        archive.writestr("z/story1.txt", texts["story1.txt"])
        archive.writestr("__MACOSX/._story1.txt", b"\x00\x05junk")
    write("nested/pack.zip", zip_buffer.getvalue())
    for name, mode in (("pack.tar", "w"), ("pack.tar.gz", "w:gz")):
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode=mode) as archive:
            story = "story2.txt" if mode == "w" else "story3.txt"
            data = texts[story].encode("utf-8")
            info = tarfile.TarInfo(f"t/{story}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        write(f"nested/{name}", buffer.getvalue())
    write("nested/story4.txt.gz", gzip_bytes(texts["story4.txt"].encode("utf-8")))
    report = engine.ingest([tmp_path / "in"])
    assert report.counts.added == 5 and report.total_rejected == 0
    origins = sorted(a.origin.split("/in/")[1] for a in engine.articles())
    assert origins == sorted([
        "nested/deeper/story0.txt", "nested/pack.tar.gz::t/story3.txt",
        "nested/pack.tar::t/story2.txt", "nested/pack.zip::z/story1.txt",
        "nested/story4.txt.gz::story4.txt",
    ])


def test_stdin_stream(engine: Engine) -> None:
    lines = [json.dumps({"title": HEADLINE, "text": BODY}, ensure_ascii=False)]
    report = engine.ingest_stream(io.BytesIO("\n".join(lines).encode("utf-8")))
    assert report.counts.added == 1
    assert only(engine).origin == "<stdin>#1"


def test_hidden_and_documentation_files_are_skipped_in_folders(engine: Engine,
                                                              write: Write) -> None:
    write("a.txt", text_article())
    write(".DS_Store", b"\x00\x01binary")
    write("README.md", "# about this folder\n\nnot news")
    report = engine.ingest([write("LICENSE", "MIT").parent])
    assert report.articles == 1 and report.total_rejected == 0
