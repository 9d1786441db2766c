// A count of lint's elementary steps (YAML pairs visited, path steps, names listed, prefixes
// probed, dependency edges followed): tests read it to prove lint linear in the file's size.

/** A running count of lint's steps; pass one to `lintWorldText` and read it afterwards. */
export interface LintWork {
  steps: number;
}

/** A fresh count, for callers that do not read it. */
export function noLintWork(): LintWork {
  return { steps: 0 };
}
