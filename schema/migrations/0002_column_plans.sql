-- hotich store, version 2: the column plans of ledger pages.
-- A ledger page whose header cells OCR could not read takes the column plan
-- of an earlier page of its book (pipeline/run.cpp, StoreStage). Keeping each
-- page's plans with the page lets a re-run after a crash inherit from pages
-- an earlier run stored, exactly as an uninterrupted run would have.
-- Only complete plans read from the page's own headers are kept: the ones a
-- later page may inherit.

CREATE TABLE column_plans (
  page_id  INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
  plan_no  INTEGER NOT NULL,  -- 1-based, top to bottom on the page (one per ledger table)
  plan     TEXT NOT NULL,     -- JSON: {"type", "col_edges", "header_rows", "keys"}
  PRIMARY KEY (page_id, plan_no)
) STRICT, WITHOUT ROWID;
