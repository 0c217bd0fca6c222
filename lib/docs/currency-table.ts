/**
 * `npm run docs:currencies`: the currency table of the README (between `<!-- currencies:start -->`
 * and `<!-- currencies:end -->`), generated from the registry (shared/domain/currencies.ts) for a
 * ChainsJson, so it cannot drift (test/unit/currency-table.test.ts). Without arguments it prints
 * the README's table, for the example ChainsJson of the deploy section; pass your own to see what
 * your deployment serves: `npm run docs:currencies -- --chains-json '{"base":{},"tron":{}}'`.
 */
import { parseArgs } from 'node:util';
import { ChainSettingsSchema } from '../../shared/config';
import { resolveChainDeployments } from '../../shared/domain/chains';
import { currencyRows, currencyTableMarkdown } from '../../shared/domain/go-live';

/** The example deployment the README's table describes (the ChainsJson parameter's own example). */
export const README_CHAINS_JSON = '{"ethereum":{},"base":{"logScan":"registry"},"tron":{}}';

export function currencyTable(chainsJson: string = README_CHAINS_JSON): string {
  const settings = ChainSettingsSchema.safeParse(JSON.parse(chainsJson));
  if (!settings.success) throw new Error(`ChainsJson: ${settings.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const deployments = resolveChainDeployments(settings.data);
  if (!deployments.ok) throw new Error(`ChainsJson: ${deployments.error.map((e) => `${e.chain}: ${e.message}`).join('; ')}`);
  const intro = `Enabled for ChainsJson \`${chainsJson}\` (\`npm run docs:currencies -- --chains-json '<yours>'\` prints your deployment's; \`tollgate project go-live SHOP_ID\` checks a project's).`;
  return `${intro}\n\n${currencyTableMarkdown(currencyRows(deployments.value))}\n`;
}

const invokedDirectly = process.argv[1] && /docs[\\/]currency-table\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  try {
    const { values } = parseArgs({ options: { 'chains-json': { type: 'string' } }, strict: true });
    process.stdout.write(currencyTable(values['chains-json'] ?? README_CHAINS_JSON));
  } catch (e) {
    process.stderr.write(`docs:currencies: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
}
