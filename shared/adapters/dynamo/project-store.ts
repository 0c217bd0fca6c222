import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Project } from '../../domain/project';
import type { ProjectKeyKind, ProjectStore } from '../../ports';
import { decodeProject, encodeProject } from './codec';
import type { DynamoCounters } from './counters';
import { keys } from './keys';
import { queryItems } from './query';

/**
 * How long a resolved API key is trusted without re-reading it. Authentication is on every
 * request's hot path; a rotated key may keep working this long on other warm containers.
 */
export const API_KEY_CACHE_TTL_MS = 10_000;

export class DynamoProjectStore implements ProjectStore {
  private readonly keyCache = new Map<string, { project: Project; until: number }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly counters: DynamoCounters,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** The lookup of a key by its hash: both kinds share the APIKEY# family, so a hash names one project and one kind. */
  private apiKeyPut(project: Project, kind: ProjectKeyKind = 'api') {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.apiKey(kind === 'api' ? project.apiKeyHash : (project.withdrawalKeyHash as string)), type: 'apikey', schemaVersion: 1, shopId: project.shopId, kind },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** The lookup changes of a save: a rotated key's lookup is replaced. */
  private keyLookupChanges(project: Project, previous: Project) {
    const changes: Record<string, unknown>[] = [];
    if (project.apiKeyHash !== previous.apiKeyHash) changes.push(this.apiKeyPut(project), { Delete: { TableName: this.tableName, Key: keys.apiKey(previous.apiKeyHash) } });
    if (project.withdrawalKeyHash !== previous.withdrawalKeyHash) {
      if (project.withdrawalKeyHash) changes.push(this.apiKeyPut(project, 'withdrawal'));
      if (previous.withdrawalKeyHash) changes.push({ Delete: { TableName: this.tableName, Key: keys.apiKey(previous.withdrawalKeyHash) } });
    }
    return changes;
  }

  async create(project: Project): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: encodeProject(project), ConditionExpression: 'attribute_not_exists(pk)' } },
          this.apiKeyPut(project),
        ],
      }),
    );
  }

  async get(shopId: string): Promise<Project | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.project(shopId), ConsistentRead: true }));
    return out.Item ? decodeProject(out.Item) : null;
  }

  async list(): Promise<Project[]> {
    const projects: Project[] = [];
    const query = { TableName: this.tableName, IndexName: 'byOwnerTime', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.projectsPartition } };
    for await (const item of queryItems(this.db, query)) projects.push(decodeProject(item));
    return projects;
  }

  async findByApiKeyHash(hash: string, kind: ProjectKeyKind = 'api'): Promise<Project | null> {
    const now = this.nowMs();
    const cacheKey = `${kind}:${hash}`;
    const cached = this.keyCache.get(cacheKey);
    if (cached && cached.until > now) return cached.project;
    const lookup = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKey(hash) }));
    const shopId = lookup.Item?.shopId;
    const project = typeof shopId === 'string' ? await this.get(shopId) : null;
    // The lookup item can outlive a rotation by a moment; the project's own hash of that kind decides,
    // so a withdrawal key never opens the invoice routes and a project key never pays out.
    if (!project || (kind === 'api' ? project.apiKeyHash : project.withdrawalKeyHash) !== hash) {
      this.keyCache.delete(cacheKey);
      return null;
    }
    this.keyCache.set(cacheKey, { project, until: now + API_KEY_CACHE_TTL_MS });
    return project;
  }

  async save(project: Project, previous: Project): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: encodeProject(project),
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': previous.version },
              },
            },
            ...this.keyLookupChanges(project, previous),
          ],
        }),
      );
    } catch (e) {
      if (e instanceof TransactionCanceledException && e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw e;
    }
    this.keyCache.delete(`api:${previous.apiKeyHash}`);
    if (previous.withdrawalKeyHash) this.keyCache.delete(`withdrawal:${previous.withdrawalKeyHash}`);
    return true;
  }

  nextProjectNumber(): Promise<number> {
    return this.counters.next(keys.projectCounter());
  }
}
