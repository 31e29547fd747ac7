import Database from 'better-sqlite3';
const db = new Database('/tmp/rs/t.db');
db.pragma('journal_mode=WAL');
db.exec(
  'DROP TABLE IF EXISTS h; CREATE TABLE h (mn TEXT NOT NULL, hour INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (hour, mn)) WITHOUT ROWID',
);
const ins = db.prepare('INSERT INTO h VALUES (?,?,?)');
const blob = Buffer.alloc(260, 7);
const day = 1782835200000;
db.transaction(() => {
  for (let h = 0; h < 24; h++) for (let i = 0; i < 20000; i++) ins.run(`370300CEMS${String(i).padStart(14, '0')}`, day + h * 3600000, blob);
})();
for (let k = 0; k < 3; k++) {
  let t = performance.now();
  const st = db.prepare('SELECT mn, hour, data FROM h WHERE hour >= ? AND hour < ?').raw(true);
  let n = 0,
    b = 0;
  for (const r of st.iterate(day, day + 86400000)) {
    n++;
    b += (r[2] as Buffer).length;
  }
  console.log('iterate', n, b, performance.now() - t);
  t = performance.now();
  const rows = st.all(day, day + 86400000);
  console.log('all', rows.length, performance.now() - t);
}
