/**
 * The check does not apply to this target, for the reason given (a WebSocket-only request on a TCP target,
 * a hook only the embedded mock has). Declarations, bindings and suites may throw it; the check is reported
 * as skipped with the reason.
 */
export class SkipCheck extends Error {}
