// `npm run build`'s second step: bundle the command (rolldown.config.mjs), quietly.
import { build } from 'rolldown';
import config from '../rolldown.config.mjs';

await build(config);
