/** How facets quote what they saw: one line, clipped, so a report cell stays readable. */

export function clip(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** A value as JSON in one clipped line; `nothing` for a missing one. */
export function show(value: unknown): string {
  return value === undefined ? 'nothing' : clip(JSON.stringify(value) ?? String(value));
}
