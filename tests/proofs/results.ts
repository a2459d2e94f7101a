/** The proofs' figures, printed once per run so CI logs carry them (docs/security.md quotes them). */
export type MatrixFigures = { routes: number; roles: number; cases: number; leaks: number; serverErrors: number; ms: number };
export type CorpusFigures = { cases: number; refused: number; kept: number; serverErrors: number; ms: number };

export function recordMatrix(dialect: string, f: MatrixFigures): void {
  console.log(`[proofs] authorization matrix (${dialect}): routes=${f.routes} roles=${f.roles} cases=${f.cases} leaks=${f.leaks} 5xx=${f.serverErrors} time=${(f.ms / 1000).toFixed(1)}s`);
}

export function recordCorpus(dialect: string, f: CorpusFigures): void {
  console.log(`[proofs] hostile input (${dialect}): cases=${f.cases} must-refuse=${f.refused} keep-verbatim=${f.kept} 5xx=${f.serverErrors} time=${(f.ms / 1000).toFixed(1)}s`);
}

export type BackupFigures = { backups: number; writers: number; writes: number; writesDuringBackups: number; tables: number; rowsCompared: number; mismatches: number; ms: number };

export function recordBackup(dialect: string, f: BackupFigures): void {
  console.log(`[proofs] backup and restore (${dialect}): backups=${f.backups} writers=${f.writers} writes=${f.writes} writes-during-backups=${f.writesDuringBackups} tables=${f.tables} rows-compared=${f.rowsCompared} mismatches=${f.mismatches} time=${(f.ms / 1000).toFixed(1)}s`);
}

export type CrashFigures = { kills: number; atCommit: number; atRandom: number; survived: number; imports: number; acknowledged: number; retried: number; lost: number; duplicates: number; halfImports: number; ms: number };
export type LoadFigures = { clients: number; seconds: number; requests: number; serverErrors: number; writes: number; lost: number; duplicates: number; p50: number; p95: number; p99: number; throughput: number; ms: number; byOp?: Record<string, { n: number; p50: number }> };

export function recordCrash(dialect: string, f: CrashFigures): void {
  console.log(
    `[proofs] crash (${dialect}): kills=${f.kills} (at commit=${f.atCommit}, random=${f.atRandom}) survived=${f.survived} imports=${f.imports} half-imports=${f.halfImports} acknowledged-writes=${f.acknowledged} retried=${f.retried} lost=${f.lost} duplicates=${f.duplicates} time=${(f.ms / 1000).toFixed(1)}s`,
  );
}

export function recordLoad(dialect: string, f: LoadFigures): void {
  console.log(
    `[proofs] load (${dialect}): clients=${f.clients} duration=${f.seconds}s requests=${f.requests} throughput=${f.throughput.toFixed(0)}/s p50=${f.p50.toFixed(0)}ms p95=${f.p95.toFixed(0)}ms p99=${f.p99.toFixed(0)}ms 5xx=${f.serverErrors} writes=${f.writes} lost=${f.lost} duplicates=${f.duplicates} time=${(f.ms / 1000).toFixed(1)}s`,
  );
  if (f.byOp) console.log(`[proofs] load (${dialect}) per operation: ${Object.entries(f.byOp).map(([op, o]) => `${op} n=${o.n} p50=${o.p50.toFixed(0)}ms`).join(', ')}`);
}
