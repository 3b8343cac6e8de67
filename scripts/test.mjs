// `npm test`: the type check and the tests, side by side (the tests spend much of their time waiting on the
// processes they start, which the type check fills). Fails when either fails; extra arguments go to vitest.
import { spawn } from 'node:child_process';

const run = (command, args) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('error', (error) => {
      console.error(`${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const [typecheck, tests] = await Promise.all([
  run('npm', ['run', 'typecheck', '--silent']),
  run(npx, ['vitest', 'run', ...process.argv.slice(2)]),
]);
if (typecheck !== 0) console.error('npm test: the type check failed');
process.exit(typecheck !== 0 ? typecheck : tests);
