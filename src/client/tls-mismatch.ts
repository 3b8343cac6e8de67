/** The plain scheme of each TLS scheme accord takes, for the advice to use it. */
const PLAIN: Readonly<Record<string, string>> = {
  'https:': 'http://',
  'wss:': 'ws://',
  'tls:': 'tcp://',
  'nymeas:': 'nymea://',
};

/**
 * A TLS handshake that got something other than TLS back, in one line instead of OpenSSL's
 * (`write EPROTO 80…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…`): the
 * usual cause is a TLS scheme on a plain port. Undefined for any other error.
 */
export function describeTlsMismatch(error: NodeJS.ErrnoException, url: string): string | undefined {
  const message = error.message ?? '';
  if (error.code !== 'EPROTO' && !String(error.code ?? '').startsWith('ERR_SSL_') && !message.includes('SSL routines'))
    return undefined;
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1] ?? error.code ?? 'TLS error';
  const scheme = /^[a-z]+:/i.exec(url)?.[0].toLowerCase() ?? '';
  if (/wrong version number|packet length too long|http request|record layer failure/i.test(reason)) {
    return `${url} answered plain ${scheme === 'https:' ? 'HTTP' : 'text'} to a TLS handshake${PLAIN[scheme] ? `; use ${PLAIN[scheme]}` : ''}`;
  }
  return `TLS handshake with ${url} failed: ${reason}`;
}
