"""Shared fixtures: settings isolated from the environment, engines on temp databases,
builders for input files in every format, and the paths of ../shared and the demo corpus."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from khabar.engine import Engine
from khabar.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EVALDATA = SHARED / "evaldata"
DEMO = ROOT / "demo"

needs_shared = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared is absent")

# Original sample text written for these tests.
HEADLINE = "افتتاح جسر جديد يربط ضفتي النهر في مدينة الموصل"
PARAGRAPHS = [
    "افتتحت السلطات المحلية في مدينة الموصل، صباح اليوم الأحد، جسراً جديداً يربط ضفتي نهر "
    "دجلة بعد عامين من أعمال البناء التي نفذتها شركة محلية بتمويل حكومي.",
    "وقال محافظ نينوى في كلمة خلال حفل الافتتاح إن الجسر \"سيخفف الازدحام عن وسط المدينة "
    "ويعيد الحركة التجارية بين الساحلين الأيمن والأيسر\".",
    "وأشار مهندسون مشاركون في المشروع إلى أن طول الجسر يبلغ نحو 400 متر، وأنه صمم لتحمل "
    "حركة الشاحنات الثقيلة.",
]
BODY = "\n".join(PARAGRAPHS)
ENGLISH = (
    "City officials opened a new bridge across the river on Sunday after two years of "
    "construction. The governor said the bridge would ease traffic in the centre of the city "
    "and restore trade between the two banks."
)


def demo_truth() -> dict[str, Any]:
    return dict(json.loads((DEMO / "truth.json").read_text("utf-8")))


def demo_key(origin: str) -> tuple[str, str | None]:
    """(file relative to demo/corpus, record) of an origin, as truth.json names them."""
    relative = origin.split("demo/corpus/", 1)[1]
    name, _, record = relative.partition("#")
    if "::" in name:
        name, _, record = name.partition("::")
    return name, record or None


def demo_article_key(origin: str) -> str:
    """An article's key in ``demo_truth_articles``: ``file#record``."""
    name, record = demo_key(origin)
    return f"{name}#{record or ''}"


def demo_truth_articles() -> dict[str, dict[str, Any]]:
    """The truth of each demo article by ``demo_article_key``."""
    return {f"{a['file']}#{a['record'] or ''}": a for a in demo_truth()["articles"]}


@pytest.fixture(scope="session")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The demo corpus ingested once for the session (read-only for tests)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Engine(path, Settings.load(environ={})) as engine:
        engine.ingest([DEMO / "corpus"], meta=DEMO / "corpus/meta.jsonl")
        yield engine


@pytest.fixture
def settings() -> Settings:
    """Defaults only: a developer's KHABAR_* variables must not change test results."""
    return Settings.load(environ={})


@pytest.fixture
def make_settings() -> Callable[..., Settings]:
    def build(**overrides: Any) -> Settings:
        return Settings.load(overrides={k.replace("__", "."): v for k, v in overrides.items()},
                             environ={})

    return build


@pytest.fixture
def engine(tmp_path: Path, settings: Settings) -> Iterator[Engine]:
    with Engine(tmp_path / "khabar.db", settings) as opened:
        yield opened


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write(name, content, encoding="utf-8"): a file under tmp_path/in/."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


def text_article(title: str = HEADLINE, body: str = BODY) -> str:
    return f"{title}\n\n{body}\n"


def html_page(
    title: str = HEADLINE,
    paragraphs: list[str] | None = None,
    *,
    charset: str | None = "utf-8",
    site: str | None = "صحيفة النهر",
    canonical: str | None = "https://nahr.example/news/bridge-opening",
    published: str | None = "2026-03-15T09:30:00+03:00",
    json_ld: bool = False,
    caption: str | None = None,
) -> str:
    """A realistic news page: head metadata, navigation, article, share box, footer."""
    paragraphs = PARAGRAPHS if paragraphs is None else paragraphs
    head = [f'<meta charset="{charset}">' if charset else "",
            f"<title>{title} | {site}</title>" if site else f"<title>{title}</title>"]
    if site:
        head.append(f'<meta property="og:site_name" content="{site}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if published and not json_ld:
        head.append(f'<meta property="article:published_time" content="{published}">')
    if json_ld:
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                "datePublished": published, "author": {"@type": "Person", "name": "سلمى الراوي"},
                "publisher": {"@type": "Organization", "name": site}}
        head.append('<script type="application/ld+json">' + json.dumps(data, ensure_ascii=False)
                    + "</script>")
    figure = f"<figure><img src='a.jpg'><figcaption>{caption}</figcaption></figure>" if caption \
        else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{"".join(head)}</head><body>'
        '<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/world">العالم</a></li>'
        '<li><a href="/sport">رياضة</a></li></ul></nav>'
        f"<main><article><h1>{title}</h1>{figure}{body}</article>"
        '<div class="share">شارك: فيسبوك تويتر واتساب</div></main>'
        "<footer>جميع الحقوق محفوظة © 2026</footer></body></html>"
    )


def gzip_bytes(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as handle:
        handle.write(data)
    return buffer.getvalue()
