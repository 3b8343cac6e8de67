/**
 * How hard the robustness tests push: bounded inside `npm test`; `npm run fuzz` sets ACCORD_DEEP=1 for
 * the full counts (at least 100,000 generated inputs across all protocols, 200,000 requests for memory).
 */
export const DEEP = process.env['ACCORD_DEEP'] === '1';

export function scaled(normal: number, deep: number): number {
  return DEEP ? deep : normal;
}
