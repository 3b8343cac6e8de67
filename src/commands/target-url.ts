import { targetUrl } from '../client/endpoint-url.js';
import { protocolById } from '../protocols/index.js';
import { CliError } from './cli-error.js';

/**
 * The base URL of a live target, from the base or the endpoint URL a user gave (`--url`, a config
 * file's "url"); `where` names where it came from in the error.
 */
export function baseUrlOf(protocolId: string, given: string, where: string): string {
  const protocol = protocolById(protocolId);
  if (!protocol) throw new CliError(`unknown protocol "${protocolId}"`);
  const url = targetUrl(given, protocol.endpoint);
  if ('problem' in url) throw new CliError(`${where} ${url.problem}`);
  return url.base;
}
