/**
 * Chain selection by CDK context: `-c tollgate:chains=ethereum,base` arrives as a string, cdk.json
 * gives an array; both make one watcher rule (and one lag alarm) per named chain, nothing else.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { DEFAULT_WATCHED_CHAINS, validChainIds, watchedChainsFrom } from '../../lib/infra/tollgate-stack';

const synth = (chains: unknown) => Template.fromStack(buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], 'tollgate:chains': chains } })).stack);

const watchedIn = (template: Template) => {
  const rules = Object.values(template.findResources('AWS::Events::Rule'));
  const chains = rules.flatMap((r) => (r.Properties.Targets as { Input?: string }[]).flatMap((t) => (t.Input ? [JSON.parse(t.Input).chain as string] : [])));
  const lagAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    .filter((a) => a.Properties.MetricName === 'ScanLagBlocks')
    .map((a) => (a.Properties.Dimensions as { Value: string }[])[0].Value);
  return { chains: chains.sort(), lagAlarms: lagAlarms.sort() };
};

// Both synths up front, under the hook's longer timeout (a synth takes seconds, more on a busy machine).
let fromString: Template;
let fromArray: Template;
beforeAll(() => {
  fromString = synth('ethereum,base');
  fromArray = synth(['tron', 'arbitrum']);
}, 240_000);

describe('tollgate:chains', () => {
  it('takes the command line form, a comma-separated string (what `-c tollgate:chains=ethereum,base` gives)', () => {
    expect(watchedIn(fromString)).toEqual({ chains: ['base', 'ethereum'], lagAlarms: ['base', 'ethereum'] });
  });

  it('takes the cdk.json form, an array, with Tron under its own watcher', () => {
    const template = fromArray;
    expect(watchedIn(template)).toEqual({ chains: ['arbitrum', 'tron'], lagAlarms: ['arbitrum', 'tron'] });
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    const tronRule = rules.find((r) => JSON.stringify(r.Properties.Targets).includes('"chain\\":\\"tron\\"'));
    expect(JSON.stringify(tronRule?.Properties.Targets)).toContain('ScheduleTronWatcher');
  });

  it('reads spaces, repeats and the JSON form typed on a command line the same way', () => {
    expect(watchedChainsFrom(' ethereum , base,ethereum,')).toEqual(['ethereum', 'base']);
    expect(watchedChainsFrom('["ethereum","base"]')).toEqual(['ethereum', 'base']);
    expect(watchedChainsFrom(undefined)).toEqual([...DEFAULT_WATCHED_CHAINS]);
  });

  it('refuses an unknown chain, naming it, every valid one and both forms', () => {
    let message = '';
    try {
      synth('ethereum,solana');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('"solana" is not a chain of the registry');
    for (const chain of validChainIds()) expect(message).toContain(chain);
    expect(message).toContain('-c tollgate:chains=ethereum,base');
    expect(message).toContain('"tollgate:chains": ["ethereum", "base"]');
  });

  it('refuses an empty selection and a value of another type', () => {
    expect(() => watchedChainsFrom(' , ')).toThrow(/names no chain/);
    expect(() => watchedChainsFrom(['ethereum', 7])).toThrow(/7 is not a chain of the registry/);
    expect(() => watchedChainsFrom({ ethereum: true })).toThrow(/comma-separated string or an array/);
    expect(() => watchedChainsFrom('[ethereum')).toThrow(/not a JSON array/);
  });
});
