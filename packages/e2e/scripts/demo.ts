/** `pnpm demo`: a recovery end to end against the local Twilio simulator (see demo/cli.ts). */
import { runCli } from './demo/cli.ts';
import { ansi, plain } from './demo/style.ts';
import { terminal } from './demo/terminal.ts';

const tty = process.stdout.isTTY === true;
const color = tty && process.env['NO_COLOR'] === undefined;
const code = await runCli(process.argv.slice(2), {
  out: terminal((chunk) => process.stdout.write(chunk), tty),
  err: (line) => console.error(line),
  style: color ? ansi : plain,
});
// Exit at once: nothing of the demo's stack is left to wait for.
process.exit(code);
