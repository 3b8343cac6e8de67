/** A mistake of the person running accord: printed as one line, exit code 2, never a stack trace. */
export class CliError extends Error {}

export const EXIT = { ok: 0, nonconformant: 1, couldNotRun: 2 } as const;

/** The target cannot be checked (unreachable, wrong credentials, not the protocol): one line, exit code 2. */
export class CouldNotRun extends CliError {}
