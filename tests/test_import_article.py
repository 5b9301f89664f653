"""`manage.py import_article`: the seed format, HTML, idempotency, and every kind of bad input."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotations import jobs, services, tasks
from annotations.demo import SEED_FILE
from annotations.importing import parse_article
from annotations.models import Activity, Article, ArticleRevision, Capture
from annotations.selectors import current_revision
from tests import fetch_safety
from tests.local_server import LocalServer, article_html

pytestmark = pytest.mark.django_db
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_e3be6ba772cc8da4.txt"


def run(path, *args):
    from io import StringIO

    out = StringIO()
    call_command("import_article", str(path), *args, stdout=out)
    return out.getvalue()


def snapshot():
    return Article.objects.count(), ArticleRevision.objects.count(), Activity.objects.count()


def test_bundled_seed_is_the_shared_seed():
    if SHARED_SEED.exists():
        assert SEED_FILE.read_bytes() == SHARED_SEED.read_bytes()


def test_imports_the_seed_article_exactly():
    output = run(SEED_FILE)
    article = Article.objects.get()
    assert output.startswith("imported article")
    assert article.title == "Russia Remains Among Top 5 Arms Exporters Worldwide - Putin"
    assert article.url.startswith("https://sputnikglobe.com/20250523/")
    assert str(article.published_date) == "2025-05-23"
    text = current_revision(article).text
    # Stored as published: the run-on sentences stay run-on.
    assert text.startswith("Russia continues to be among the top five arms exporters in the world")
    assert "underscored.The interest" in text
    assert text in SEED_FILE.read_text()


def test_import_is_idempotent_and_new_text_is_a_new_revision(tmp_path):
    run(SEED_FILE)
    assert run(SEED_FILE).startswith("unchanged")
    assert snapshot()[:2] == (1, 1)
    edited = tmp_path / "edited.txt"
    edited.write_text(SEED_FILE.read_text().replace("Russian President", "President"))
    assert "added revision 2" in run(edited)
    article = Article.objects.get()
    assert article.revisions.count() == 2 and current_revision(article).number == 2


def test_imports_html_as_text_without_scripts_or_page_furniture(tmp_path):
    page = tmp_path / "page.html"
    paragraphs = ["The council approved the <b>budget</b> on Friday, after a debate of four hours.", "Second. " * 12]
    html = article_html("Arms &amp; exports", paragraphs).decode()
    page.write_text(html.replace("</article>", "<script>document.write('bad')</script></article>"))
    run(page, "--url", "https://news.example/arms")
    article = Article.objects.get()
    assert article.title == "Arms & exports" and article.url == "https://news.example/arms"
    text = current_revision(article).text
    assert "The council approved the budget on Friday, after a debate of four hours." in text
    assert "bad" not in text and "Copyright" not in text and "<" not in text


def test_an_uploaded_page_gives_the_text_the_same_page_fetched_gives(editor, monkeypatch, settings, tmp_path):
    page = article_html("Budget approved", ["The council approved the budget on <i>Friday</i>.", "Votes: 12 to 3."])
    sent = []
    monkeypatch.setattr(jobs, "send", lambda name, pk, countdown=None: sent.append((name.rsplit(".", 1)[-1], pk)))
    with fetch_safety.jailed(monkeypatch) as jail:
        db = settings.DATABASES["default"]
        if db.get("HOST", "").startswith("127.") or db.get("HOST") == "localhost":
            jail.allow_port(int(db.get("PORT") or 5432))
        server = LocalServer()
        jail.allow_port(server.port)
        settings.FETCH_ALLOW_LOOPBACK = True
        settings.FETCH_ALLOWED_PORTS = [server.port]
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
        }
        try:
            url = server.add("/budget", page)
            capture = services.article_import_from_url(actor=editor, url=url)
            sent.append(("fetch_capture", capture.pk))
            while sent:
                task, pk = sent.pop(0)
                getattr(tasks, task)(pk)
        finally:
            server.close()
    fetched = Capture.objects.get(pk=capture.pk).article
    upload = tmp_path / "budget.html"
    upload.write_bytes(page)
    uploaded = parse_article(upload.read_bytes(), upload.name)
    assert current_revision(fetched).text == uploaded.text and "Votes: 12 to 3." in uploaded.text
    assert fetched.title == uploaded.title == "Budget approved"


def test_html_with_declared_charset(tmp_path):
    page = tmp_path / "ru.html"
    html = '<html><head><meta charset="windows-1251"><title>Экспорт</title></head><body><p>Россия.</p></body></html>'
    page.write_bytes(html.encode("cp1251"))
    run(page)
    assert current_revision(Article.objects.get()).text == "Россия."


def test_plain_text_first_line_is_title(tmp_path):
    file = tmp_path / "note.txt"
    file.write_text("A title\n\nBody line one.\nBody  line two.\n")
    run(file)
    article = Article.objects.get()
    assert article.title == "A title" and article.url is None
    assert current_revision(article).text == "Body line one.\nBody  line two."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"date 2025-05-23 https://x.example/a\nTitle only\n", "body is empty"),
        (b"date 23/05/2025 https://x.example/a\nTitle\n\nBody.", "not a YYYY-MM-DD date"),
        (b"date 2025-05-23\nTitle\n\nBody.", "malformed header"),
        (b"date 2025-05-23 ftp://x.example/a\nTitle\n\nBody.", "not an http(s) URL"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Titre\n\nCaf\u00e9 cr\u00e8me".encode("latin-1"), "not UTF-8"),
        (b"<html><body></body></html>", "no title"),
    ],
)
def test_bad_input_fails_with_one_line_and_changes_nothing(tmp_path, content, reason):
    path = tmp_path / ("missing.txt" if content is None else "bad.html" if content.startswith(b"<") else "bad.txt")
    if content is not None:
        path.write_bytes(content)
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run(path)
    message = str(error.value)
    assert reason in message and "\n" not in message and str(path) in message
    assert snapshot() == before


def test_command_exits_non_zero_from_the_shell(tmp_path):
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(tmp_path / "nope.txt")],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=60,
    )
    assert result.returncode != 0
    assert "no such file" in result.stderr.strip().splitlines()[-1]
