/** Holds the library's write lock (BEGIN IMMEDIATE) for <ms>, then commits: another writer must wait its turn. Argv: <library> <ms>. */
import Database from 'better-sqlite3';
import { writeSync } from 'node:fs';

const [path, ms] = process.argv.slice(2);
const db = new Database(path);
db.exec('BEGIN IMMEDIATE');
db.prepare("UPDATE projects SET name = name WHERE rowid = (SELECT MIN(rowid) FROM projects)").run();
writeSync(1, 'holding\n');
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
  writeSync(1, 'released\n');
}, Number(ms));
