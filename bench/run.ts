import { platformBench } from '#bench/platform.bench.ts';
import { cultivationBench } from '#bench/cultivation.bench.ts';
import { monitoringBench } from '#bench/monitoring.bench.ts';
import { monitoringImportBench } from '#bench/monitoring-import.bench.ts';
import type { Bench } from '#bench/bench.types.ts';

/**
 * `npm run bench [-- --full] [-- --only NAME]`: every performance figure the issues name, one
 * JSON line each ({ name, value, unit, baseline, ratio }). Methods and latest figures:
 * docs/benchmarks.md.
 */
const BENCHES: Bench[] = [platformBench, cultivationBench, monitoringBench, monitoringImportBench];

const args = process.argv.slice(2);
const full = args.includes('--full');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

for (const bench of BENCHES) {
  if (only && bench.name !== only) continue;
  for await (const line of bench.run({ full })) {
    process.stdout.write(`${JSON.stringify({ bench: bench.name, ...line })}\n`);
  }
}
