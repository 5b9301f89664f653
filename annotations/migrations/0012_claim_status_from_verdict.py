"""A claim's status is its verdict's, kept by PostgreSQL: the verdict is the one source of truth.

Claim.status stays a column (the claim lists filter and order on it, with the claim_status_created index), but no
Python code writes it any more: a trigger on the verdict table copies the verdict's status to its claim on every
insert, status change and delete (back to 'draft', the status of a claim without a verdict), whichever path writes
the verdict (the services, a queryset update, psql). The claim's updated_at moves with its status, as it did when
the services wrote both. Existing claims are set from their verdicts first (a drift the old code could leave).
"""

from django.db import migrations

FUNCTION = """
CREATE FUNCTION annotations_claim_status_from_verdict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The claim a verdict leaves (deleted, or moved to another claim) has no verdict any more: a draft again.
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.claim_id IS DISTINCT FROM NEW.claim_id) THEN
    UPDATE annotations_claim SET status = 'draft', updated_at = clock_timestamp()
      WHERE id = OLD.claim_id AND status IS DISTINCT FROM 'draft';
  END IF;
  IF TG_OP <> 'DELETE' THEN
    -- Only a change writes the claim row (a verdict saved with the same status leaves the claim alone).
    UPDATE annotations_claim SET status = NEW.status, updated_at = clock_timestamp()
      WHERE id = NEW.claim_id AND status IS DISTINCT FROM NEW.status;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER verdict_claim_status AFTER INSERT OR DELETE OR UPDATE OF status, claim_id ON annotations_verdict
  FOR EACH ROW EXECUTE FUNCTION annotations_claim_status_from_verdict();

UPDATE annotations_claim c SET status = coalesce(v.status, 'draft')
  FROM annotations_claim c2 LEFT JOIN annotations_verdict v ON v.claim_id = c2.id
  WHERE c.id = c2.id AND c.status IS DISTINCT FROM coalesce(v.status, 'draft');
"""

DROP_FUNCTION = """
DROP TRIGGER IF EXISTS verdict_claim_status ON annotations_verdict;
DROP FUNCTION IF EXISTS annotations_claim_status_from_verdict();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0011_verdict_one_to_one"),
    ]

    operations = [migrations.RunSQL(FUNCTION, DROP_FUNCTION)]
