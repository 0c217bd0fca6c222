/** One DynamoDB Local engine (in memory) for the whole run; files get their own tables. */
import type { TestProject } from 'vitest/node';
import { type DynamoEngine, startDynamo } from '../../lib/local/engines/dynamodb';

let engine: DynamoEngine | null = null;

export async function setup(project: TestProject) {
  engine = await startDynamo();
  project.provide('dynamoEndpoint', engine.endpoint);
}

export async function teardown() {
  await engine?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
