// SPDX-License-Identifier: Apache-2.0
// The relay log's storage: one SQLite database (npm better-sqlite3 12; 13
// needs Node 22) that holds what the log operator published, so that a
// relay restart keeps the log. It holds public bytes only:
//
//   meta(key, value)       'schema' = '1', 'origin', 'vkey' (the operator's
//                          verifier key, so that a restart with another
//                          signing key is refused instead of forking the log)
//   entries(idx, bytes)    every accepted entry (kind byte || bytes), idx 0..n-1
//   files(path, bytes)     the static tlog-tiles files: "checkpoint",
//                          "tile/<L>/<N>[.p/<W>]", "tile/entries/<N>[.p/<W>]"
//
// An entry and the files its publication changed are written in one
// transaction. The operator's Ed25519 seed is a secret and is NOT in the
// database: it lives in its own file (keyFile, mode 0600) or is given.
//
// better-sqlite3 is synchronous: a statement runs to the end before any
// other request is looked at, which is what keeps the operator (in wasm
// memory) and the database in step.
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SCHEMA = '1';

/**
 * Opens (creating if needed) the log database at `file` (':memory:' for
 * one that lives as long as the process).
 * @param {string} file
 */
export function openLogStore(file) {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS entries (idx INTEGER PRIMARY KEY, bytes BLOB NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, bytes BLOB NOT NULL) STRICT;
  `);
  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  const putEntry = db.prepare('INSERT INTO entries (idx, bytes) VALUES (?, ?)');
  const putFile = db.prepare(
    'INSERT INTO files (path, bytes) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET bytes = excluded.bytes',
  );
  const getFile = db.prepare('SELECT bytes FROM files WHERE path = ?').pluck();
  const allEntries = db.prepare('SELECT idx, bytes FROM entries ORDER BY idx');
  const countEntries = db.prepare('SELECT count(*) FROM entries').pluck();

  const schema = getMeta.get('schema');
  if (schema !== undefined && schema !== SCHEMA) {
    db.close();
    throw storeError('UNSUPPORTED_VERSION', `log store: schema ${JSON.stringify(schema)}`);
  }

  const writeFiles = (files) => {
    for (const [p, bytes] of files) putFile.run(p, Buffer.from(bytes));
  };

  return {
    /** The stored origin and verifier key, or undefined for a new store. */
    identity() {
      const origin = getMeta.get('origin');
      return origin === undefined ? undefined : { origin, vkey: getMeta.get('vkey') };
    },
    /** Records the log's origin and key (once, with the first publication). */
    init: db.transaction((origin, vkey, files) => {
      setMeta.run('schema', SCHEMA);
      setMeta.run('origin', origin);
      setMeta.run('vkey', vkey);
      writeFiles(files);
    }),
    /** One accepted entry and the files its publication changed, atomically. */
    append: db.transaction((idx, entry, files) => {
      putEntry.run(idx, Buffer.from(entry));
      writeFiles(files);
    }),
    /** Stores files again (after a replay; same bytes). */
    putFiles: db.transaction(writeFiles),
    /** Every stored entry in index order: [{idx, bytes}] */
    *entries() {
      for (const row of allEntries.iterate()) yield row;
    },
    count: () => countEntries.get(),
    /** The bytes of a static file, or undefined. */
    file: (p) => getFile.get(p),
    close: () => db.close(),
  };
}

/** An Error with a medseal code name (docs/errors.md); no new codes. */
export function storeError(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}

/**
 * The operator's 32-byte seed from `keyFile`, created (mode 0600, random
 * bytes from `random`) when missing. The file holds the raw seed and
 * nothing else.
 */
export function loadOrCreateSeed(keyFile, random) {
  let seed;
  try {
    seed = readFileSync(keyFile);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
    mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    seed = Buffer.from(random(32));
    writeFileSync(keyFile, seed, { mode: 0o600, flag: 'wx' });
  }
  if (seed.length !== 32) {
    seed.fill(0);
    throw storeError('INVALID_ARGUMENT', `log key file: ${seed.length} bytes, not 32`);
  }
  const out = new Uint8Array(seed);
  seed.fill(0);
  return out;
}
