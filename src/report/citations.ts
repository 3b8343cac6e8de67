import { protocolById } from '../protocols/index.js';
import type { ReferenceSources } from '../spec/protocol.js';

/**
 * The upstream documentation or source a user can open for a check's reference (`kanboard.md §6 Users`,
 * `octoprint.md §4.3, §6.6`): the entries of its protocol's sources for each section it names, the
 * most specific first (`§4.3` falls back to `§4`), else those of the reference as a whole.
 */
export function upstreamOf(see: string, sources: ReferenceSources): string[] {
  const links: string[] = [];
  // Named subsections (`§6 Users`) are keys of their own, and stand for their section.
  const named = Object.keys(sources).filter((key) => key.includes(' ') && see.includes(key));
  for (const key of named) links.push(...sources[key]!);
  for (const [, section] of see.matchAll(/§(\d+(?:\.\d+)*)/g)) {
    if (named.some((key) => key.startsWith(`§${section} `))) continue;
    for (let s = section!; s !== ''; s = s.includes('.') ? s.slice(0, s.lastIndexOf('.')) : '') {
      const found = sources[`§${s}`];
      if (found) {
        links.push(...found);
        break;
      }
    }
  }
  return [...new Set(links.length > 0 ? links : (sources[''] ?? []))];
}

/** Every reference a target's checks cite, with its upstream links: for reports to show beside it. */
export function citationsOf(protocolId: string, sees: Iterable<string>): Record<string, string[]> {
  const sources = protocolById(protocolId)?.sources ?? {};
  const out: Record<string, string[]> = {};
  for (const see of sees) out[see] ??= upstreamOf(see, sources);
  return out;
}
