/** The interfaces the use cases need (DESIGN §3), split by concern. Adapters implement them; tests use the real ones. */

export * from './chain';
export * from './clock-ids';
export * from './deps';
export * from './donations';
export * from './log';
export * from './network-fees';
export * from './pages';
export * from './pos';
export * from './postbacks';
export * from './queues';
export * from './rates';
export * from './stores';
export * from './static-wallets';
export * from './second-factor';
export * from './sweeps';
export * from './withdrawal-rules';
