/** Where a problem was found: as precise as the stage knows. */
export interface Where {
  app?: string;
  action?: string;
  field?: string;
  url?: string;
}

/** A problem or warning that a stage collects instead of throwing, so a run can report all of them at once. */
export interface Diagnostic extends Where {
  severity: "error" | "warning";
  /** Stable machine-readable code, e.g. `unknown-type`, `http-status`. */
  code: string;
  message: string;
  /** How to fix it, when we know. */
  hint?: string;
  status?: number;
}

/**
 * Exit codes of the CLI (design.md §1), plus two from sysexits: 70 for our own bugs, so that a crash never
 * reads as "stale", and 74 for a failure of the machine's storage (a full disk, an I/O error).
 */
export const ExitCode = { ok: 0, differences: 1, usage: 2, network: 3, internal: 70, io: 74 } as const;

/** An error that carries its exit code and every diagnostic that led to it. */
export class CodegenError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = "CodegenError";
  }
}

/** A CodegenError carrying its one diagnostic: `message`, a `code` for machines and the `hint` that fixes it. */
export function codegenError(
  message: string,
  code: string,
  hint?: string,
  exitCode: number = ExitCode.usage,
): CodegenError {
  return new CodegenError(message, exitCode, [
    { severity: "error", code, message, ...(hint === undefined ? {} : { hint }) },
  ]);
}

/** Formats a diagnostic's location as `app hubspot, action create_contact, field email`. */
export function describeWhere(where: Where): string {
  const parts: string[] = [];
  if (where.app !== undefined) parts.push(`app ${where.app}`);
  if (where.action !== undefined) parts.push(`action ${where.action}`);
  if (where.field !== undefined) parts.push(`field ${where.field}`);
  if (where.url !== undefined) parts.push(where.url);
  return parts.join(", ");
}

/** Throws a CodegenError carrying every diagnostic when one of them is an error. */
export function failOnErrors(diagnostics: readonly Diagnostic[], exitCode: number, summary: string): void {
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new CodegenError(
      `${summary}: ${errors.length} problem${errors.length === 1 ? "" : "s"}`,
      exitCode,
      diagnostics,
    );
}
