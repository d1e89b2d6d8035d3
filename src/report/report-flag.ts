/**
 * The `--report FILE` flag of `ledgerflow analyze`, kept apart from the renderer so the CLI
 * loads Graphviz only when a report is asked for.
 */

/** The flag, for `parseArgs` options. */
export const reportFlag = { report: { type: 'string' } } as const;

/** Help line of {@link reportFlag}. */
export const reportFlagHelp =
  '  --report FILE           also write an HTML report (process map, variants, KPIs) to FILE';
