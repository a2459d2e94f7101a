import { spawnSync } from 'node:child_process';

/**
 * `npm run test:proofs [-- --full]`: only the proofs (tests/proofs), at CI size by default or at
 * full size with --full. Other arguments pass through to Vitest.
 */
const args = process.argv.slice(2);
const full = args.includes('--full');
const rest = args.filter((a) => a !== '--full');
const result = spawnSync('npx', ['vitest', 'run', '--project', 'server', 'tests/proofs', ...rest], {
  stdio: 'inherit',
  env: { ...process.env, ...(full ? { PROOFS_FULL: '1' } : {}) },
});
process.exit(result.status ?? 1);
