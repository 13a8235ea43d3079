-- json rather than jsonb: snapshots are written and read back whole, never queried into; json keeps the text as written
-- (a flush of 1 200 snapshots on PGlite about a third cheaper). jsonb -> json is an assignment cast.
ALTER TABLE "detector_state" ALTER COLUMN "snapshot" SET DATA TYPE json;