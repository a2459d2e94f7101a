/**
 * The proofs run at CI size inside `npm test`, and at full size through
 * `npm run test:proofs -- --full`, which sets PROOFS_FULL=1 for the Vitest run it starts.
 * Every proof reads its size here so the two sizes are declared side by side.
 */
export const fullSize = process.env.PROOFS_FULL === '1';

/** Pick the CI or the full figure: `proofSize({ ci: 5, full: 50 })`. */
export function proofSize<T>(sizes: { ci: T; full: T }): T {
  return fullSize ? sizes.full : sizes.ci;
}
