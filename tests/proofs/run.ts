import { spawnSync } from 'node:child_process';

/**
 * `npm run test:proofs [-- --full]`: only the proofs (tests/proofs), at CI size by default or at
 * full size with --full. Other arguments pass through to Vitest.
 */
const args = process.argv.slice(2);
const full = args.includes('--full');
const rest = args.filter((a) => a !== '--full');
// Vitest ORs its file filters: `tests/proofs` beside a named proof would run every proof, so the
// folder is the filter only when no proof file is named.
const named = rest.some((a) => !a.startsWith('-') && a.includes('tests/proofs/'));
const result = spawnSync('npx', ['vitest', 'run', '--project', 'server', ...(named ? [] : ['tests/proofs']), ...rest], {
  stdio: 'inherit',
  env: { ...process.env, ...(full ? { PROOFS_FULL: '1' } : {}) },
});
process.exit(result.status ?? 1);
