/**
 * `npm run dev`: the Vite dev server (hot reload, proxying /api and /socket.io) on 5173 and the
 * server with simulators, restarted by tsx on every server change.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'vite';

const server = spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'scripts/start.ts'], {
  stdio: 'inherit',
  env: { ...process.env, O3_SKIP_CLIENT_BUILD: '1' },
});
const vite = await createServer({ configFile: 'vite.config.ts' });
await vite.listen();
vite.printUrls();

const stop = async () => {
  server.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
