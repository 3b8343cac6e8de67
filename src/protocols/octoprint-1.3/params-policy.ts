import type { ParamsPolicy } from '../../spec/protocol.js';
import { pathTemplate } from '../../wire/rest-routes.js';
import type { OctoPrintFacts } from '../octoprint/access.js';
import { anyReply13 } from './binding.js';
import { text, type OctoPrintMethod } from './define.js';
import type { World13 } from './world.js';

/** 1.3 handlers test each mandatory field in order and answer with a text 400; types are never checked. */
export const paramsPolicy13: ParamsPolicy<World13, OctoPrintFacts, OctoPrintMethod<World13>> = {
  missing(method, name) {
    const wire = method.wire;
    if (pathTemplate(wire.route.path).names.includes(name))
      return 'a path parameter: without it the request names another URL';
    const message = wire.missing?.[name];
    return message === undefined ? `OctoPrint 1.3 does not test for ${name}` : text(400, message);
  },
  extra: (_method, params) => ({ params: { ...params, accord_extra: 1 }, asValid: 'should' }),
  // Garbage in a body field gets one of the app's usual answers (text and HTML errors included), never a dropped connection.
  garbage: () => [anyReply13],
  addressing: (method) => pathTemplate(method.wire.route.path).names,
  wrongType: (method, name) =>
    pathTemplate(method.wire.route.path).names.includes(name)
      ? 'a path segment is always text'
      : 'OctoPrint 1.3 never checks the type of a field: it stores or coerces the value as sent',
};
