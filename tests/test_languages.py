"""Article languages: codes, direction, detection at import (form, API, command), and the template filter."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template

from annotations import languages, services
from annotations.models import Article

from .api_support import client_for

ARABIC = "لا تزال روسيا من بين أكبر خمسة مصدرين للأسلحة في العالم، كما قال الرئيس الروسي يوم الجمعة."
RUSSIAN = "Россия остаётся в числе пяти крупнейших экспортёров оружия в мире, заявил президент в пятницу."


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ar", "ar"), ("AR", "ar"), ("pt_br", "pt-BR"), ("zh-hant", "zh-Hant"), ("sr-latn-rs", "sr-Latn-RS")],
)
def test_codes_are_normalised_to_bcp47_case(code, expected):
    assert languages.normalise(code) == expected


@pytest.mark.parametrize("code", ["english", "e", "en-", "en us", "x" * 40, "12"])
def test_malformed_codes_are_refused(code):
    with pytest.raises(ValueError, match="BCP 47"):
        languages.normalise(code)


@pytest.mark.parametrize(
    ("code", "direction"),
    [
        *[("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("yi", "rtl"), ("ckb", "rtl"), ("ar-EG", "rtl")],
        *[("en", "ltr"), ("ru", "ltr"), ("ku", "ltr"), ("az-Arab", "rtl"), ("ku-Latn", "ltr"), ("und", "ltr")],
    ],
)
def test_text_direction(code, direction):
    assert languages.text_direction(code) == direction


def test_template_filter_sets_lang_and_dir():
    html = Template('{% load factcheck %}<p lang="{{ l }}" dir="{{ l|text_direction }}">').render(Context({"l": "ar"}))
    assert html == '<p lang="ar" dir="rtl">'


def test_detection_uses_the_bundled_model_and_says_und_when_unsure():
    assert languages.detect(ARABIC) == "ar"
    assert languages.detect(RUSSIAN) == "ru"
    assert languages.detect("Russia continues to be among the top five arms exporters in the world.") == "en"
    assert languages.detect("") == languages.UNDETERMINED
    assert languages.detect("42") == languages.UNDETERMINED


def test_search_configs_in_python_and_in_the_database_agree(db):
    migration = importlib.import_module("annotations.migrations.0009_language_and_claim_search")
    assert migration.SEARCH_CONFIGS == languages.SEARCH_CONFIGS
    codes = [*languages.SEARCH_CONFIGS, "ar-EG", "pt-BR", "zh", "und", "sw"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, annotations_search_config(code)::text FROM unnest(%s::text[]) AS code", [codes])
        in_database = dict(cursor.fetchall())
    assert in_database == {code: languages.search_config(code) for code in codes}


def test_import_detects_the_language_when_not_given(editor):
    result = services.article_import(actor=editor, title="روسيا", text=ARABIC, origin="pasted")
    assert result.article.language == "ar"


def test_import_keeps_a_given_language_normalised(editor):
    result = services.article_import(actor=editor, title="Notícia", text="Texto.", origin="pasted", language="pt_br")
    assert result.article.language == "pt-BR"


def test_import_refuses_a_malformed_language_naming_the_field(editor):
    with pytest.raises(ValidationError) as raised:
        services.article_import(actor=editor, title="T", text="Text.", origin="pasted", language="Arabic!")
    assert "language" in raised.value.message_dict
    assert not Article.objects.exists()


def test_api_import_with_language_and_without(editor):
    api = client_for(editor)
    chosen = api.post("/api/articles/", {"title": "T", "text": "Short.", "language": "he"}, format="json")
    assert chosen.status_code == 201 and chosen.json()["language"] == "he"
    detected = api.post("/api/articles/", {"title": "Новости", "text": RUSSIAN}, format="json")
    assert detected.status_code == 201 and detected.json()["language"] == "ru"
    bad = api.post("/api/articles/", {"title": "T", "text": "Other.", "language": "english"}, format="json")
    assert bad.status_code == 400 and "language" in bad.json()


def test_import_form_offers_languages_and_detects_by_default(client, editor):
    client.force_login(editor)
    page = client.get("/articles/import/").content.decode()
    assert '<option value="" selected>Detect from the text</option>' in page
    assert '<option value="ar">Arabic</option>' in page
    client.post("/articles/import/", {"title": "روسيا", "text": ARABIC, "language": ""})
    client.post("/articles/import/", {"title": "Chosen", "text": "Shalom.", "language": "he"})
    assert dict(Article.objects.values_list("title", "language")) == {"روسيا": "ar", "Chosen": "he"}
    refused = client.post("/articles/import/", {"title": "X", "text": "Y", "language": "klingon"})
    assert refused.status_code == 400 and "language" in refused.context["form"].errors


def test_import_command_takes_a_language(tmp_path, capsys, db):
    path = tmp_path / "article.txt"
    path.write_text("Title\n\nBody of the article in some language.", encoding="utf-8")
    call_command("import_article", str(path), "--language", "fa")
    assert "(language fa)" in capsys.readouterr().out
    assert Article.objects.get().language == "fa"


def test_reader_and_article_list_set_lang_and_dir(client, editor):
    article = services.article_import(actor=editor, title="روسيا", text=ARABIC, origin="pasted").article
    client.force_login(editor)
    reader = client.get(f"/articles/{article.pk}/").content.decode()
    assert 'id="article-text" class="article-text" lang="ar" dir="rtl"' in reader
    listing = client.get("/articles/").content.decode()
    assert f'<a href="/articles/{article.pk}/" lang="ar" dir="rtl">روسيا</a>' in listing


def test_migration_detects_articles_left_on_the_old_default(editor):
    """Articles imported before languages were chosen all said 'en'; 0009 keeps real choices and fixes the rest."""
    migration = importlib.import_module("annotations.migrations.0009_language_and_claim_search")
    from django.apps import apps

    arabic = services.article_import(actor=editor, title="روسيا", text=ARABIC, origin="pasted").article
    english = services.article_import(actor=editor, title="Arms", text="Russia exports arms.", origin="pasted").article
    chosen = services.article_import(actor=editor, title="Chose", text=RUSSIAN, origin="pasted", language="uk").article
    Article.objects.filter(pk=arabic.pk).update(language="en")
    migration.set_languages(apps, None)
    assert dict(Article.objects.values_list("pk", "language")) == {arabic.pk: "ar", english.pk: "en", chosen.pk: "uk"}
