"""Notices (a published check's article changed) become inbox notifications of that kind, and the Notice table goes.

The rows are copied in SQL so that their dates and read state are kept; they are marked emailed so that nobody is
emailed now of old news."""

from django.db import migrations

COPY = """
INSERT INTO annotations_notification
    (recipient_id, kind, claim_id, article_id, actor_id, message, event_key, created_at, read_at, emailed_at)
SELECT n.user_id, 'article_changed', n.claim_id, c.article_id, NULL, n.message, 'notice:' || n.id,
       n.created_at, n.read_at, n.created_at
FROM annotations_notice n LEFT JOIN annotations_claim c ON c.id = n.claim_id
ON CONFLICT (recipient_id, event_key) DO NOTHING
"""


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0014_second_review_and_more_notices"),
    ]

    operations = [
        migrations.RunSQL(COPY, reverse_sql=migrations.RunSQL.noop),
        migrations.RemoveIndex(model_name="notice", name="notice_user_unread"),
        migrations.DeleteModel(name="Notice"),
    ]
