/** The proofs' figures, printed once per run so CI logs carry them (docs/security.md quotes them). */
export type MatrixFigures = { routes: number; roles: number; cases: number; leaks: number; serverErrors: number; ms: number };
export type CorpusFigures = { cases: number; refused: number; kept: number; serverErrors: number; ms: number };

export function recordMatrix(dialect: string, f: MatrixFigures): void {
  console.log(`[proofs] authorization matrix (${dialect}): routes=${f.routes} roles=${f.roles} cases=${f.cases} leaks=${f.leaks} 5xx=${f.serverErrors} time=${(f.ms / 1000).toFixed(1)}s`);
}

export function recordCorpus(dialect: string, f: CorpusFigures): void {
  console.log(`[proofs] hostile input (${dialect}): cases=${f.cases} must-refuse=${f.refused} keep-verbatim=${f.kept} 5xx=${f.serverErrors} time=${(f.ms / 1000).toFixed(1)}s`);
}
