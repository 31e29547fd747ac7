import Database from 'better-sqlite3';
const db = new Database('/tmp/rs/t2.db');
db.pragma('journal_mode=WAL');
db.exec(
  'DROP TABLE IF EXISTS h; CREATE TABLE h (day INTEGER NOT NULL, mn TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (day, mn)) WITHOUT ROWID',
);
const ins = db.prepare('INSERT INTO h VALUES (?,?,?)');
const blob = Buffer.alloc(5600, 7);
const day = 1782835200000;
db.transaction(() => {
  for (let i = 0; i < 20000; i++) ins.run(day, `370300CEMS${String(i).padStart(14, '0')}`, blob);
})();
for (let k = 0; k < 3; k++) {
  let t = performance.now();
  const rows = db.prepare('SELECT mn, data FROM h WHERE day = ?').raw(true).all(day);
  console.log('all', rows.length, performance.now() - t);
}
