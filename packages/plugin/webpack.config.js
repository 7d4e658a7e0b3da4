// Customises Twilio's webpack 4 config: flex-plugin build require()s this file and passes
// its config through the exported function. Webpack 4 predates package.json "exports" and
// ES2020 syntax, so
// - @lifeline/machine (TypeScript source, "exports" only) is aliased to its entry file,
//   which Create React App's ModuleScopePlugin would refuse as "outside src/", and
// - the machine's source and xstate go through the same Babel loader as src/.
// This package is an ES module; Node >= 20.19 lets require() load it, and the
// 'module.exports' export name makes require() return the function itself.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const machineSrc = path.resolve(here, '../machine/src');
const transpiled = [
  machineSrc,
  /node_modules[\\/](\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?(xstate|@xstate)[\\/]/,
];

const isBabelRule = (rule) =>
  typeof rule.loader === 'string' && rule.loader.includes('babel-loader');

function customize(config) {
  config.resolve.alias = {
    ...config.resolve.alias,
    '@lifeline/machine$': path.join(machineSrc, 'index.ts'),
  };
  config.resolve.plugins = config.resolve.plugins.filter(
    (plugin) => plugin.constructor.name !== 'ModuleScopePlugin',
  );
  for (const rule of config.module.rules) {
    for (const inner of rule.oneOf ?? []) {
      if (isBabelRule(inner)) inner.include = [inner.include, ...transpiled];
    }
  }
  return config;
}

export { customize as 'module.exports' };
