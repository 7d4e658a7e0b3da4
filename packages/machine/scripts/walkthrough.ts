/** `pnpm walkthrough`: walks a recovery through the statechart (see demo/cli.ts). */
import { runCli } from './demo/cli.ts';
import { ansi, plain } from './demo/style.ts';

const color = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
process.exitCode = runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  style: color ? ansi : plain,
});
