-- hotich store, version 1. Applied by pipeline/store.cpp in one transaction;
-- PRAGMA user_version records the last applied migration.
-- Provenance is the point: every value can be traced to its pixels
-- (fields.raw + box on pages.path, frame).

CREATE TABLE runs (
  id           INTEGER PRIMARY KEY,
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  version      TEXT NOT NULL,   -- hotich version that ran
  command      TEXT NOT NULL,   -- the command line, for the record
  status       TEXT NOT NULL CHECK (status IN ('running', 'success', 'partial', 'fatal', 'interrupted')),
  report       TEXT             -- the JSON run report
) STRICT;

CREATE TABLE books (
  id           TEXT PRIMARY KEY,  -- the book folder's name
  path         TEXT NOT NULL,
  loai_so      TEXT CHECK (loai_so IN ('khai_sinh', 'ket_hon', 'khai_tu')),
  quyen_so     TEXT,
  nam          INTEGER,
  noi_dang_ky  TEXT,
  status       TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'failed')),
  error        TEXT
) STRICT;

CREATE TABLE pages (
  id               INTEGER PRIMARY KEY,
  book_id          TEXT NOT NULL REFERENCES books (id),
  page_no          INTEGER NOT NULL,           -- 1-based, in the book
  path             TEXT NOT NULL,
  frame            INTEGER NOT NULL DEFAULT 0, -- page inside a multi-page TIFF
  sha256           TEXT NOT NULL,              -- of the file's bytes
  size             INTEGER NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('done', 'failed')),
  error            TEXT,
  layout           TEXT,
  width            INTEGER,
  height           INTEGER,
  run_id           INTEGER REFERENCES runs (id),
  pipeline_version TEXT NOT NULL,
  timings          TEXT,                       -- JSON: stage -> milliseconds
  processed_at     TEXT NOT NULL,
  UNIQUE (book_id, page_no)
) STRICT;
CREATE INDEX pages_sha ON pages (sha256, frame);

CREATE TABLE entries (
  id            INTEGER PRIMARY KEY,
  page_id       INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
  entry_no      INTEGER NOT NULL,  -- 1-based, top to bottom on the page
  loai_so       TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('auto', 'review', 'verified', 'rejected')),
  review_reason TEXT,
  UNIQUE (page_id, entry_no)
) STRICT;

CREATE TABLE fields (
  entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
  key        TEXT NOT NULL,     -- Ministry import-template key
  value      TEXT NOT NULL,     -- normalised export value
  raw        TEXT NOT NULL,     -- OCR text it came from
  conf       REAL NOT NULL,     -- 0..1, OCR and validation combined
  x INTEGER, y INTEGER, w INTEGER, h INTEGER,  -- box on the cleaned page image
  flag       TEXT,              -- NULL = accepted; else the reason for review
  corrected  INTEGER NOT NULL DEFAULT 0,  -- 1 = a reviewer set this value
  PRIMARY KEY (entry_id, key)
) STRICT, WITHOUT ROWID;

-- Reference lists a user imported (gazetteer, ethnic groups), kept whole so a
-- run can rebuild its lexicons from the DB alone.
CREATE TABLE lexicons (
  kind        TEXT NOT NULL,    -- 'gazetteer' | 'ethnic'
  source      TEXT NOT NULL,    -- file name it came from
  sha256      TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  content     TEXT NOT NULL,
  PRIMARY KEY (kind, source)
) STRICT;
