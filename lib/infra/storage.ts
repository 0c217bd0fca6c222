/**
 * The single table, from shared/adapters/dynamo/table.ts (the local runtime builds it from the
 * same shape). On-demand: a shop's traffic is spiky and small; at 100k invoices a month this
 * costs well under a dollar in requests. RETAIN and PITR because this is money.
 *
 * Restore: DynamoDB restores a backup into a NEW table. The ExistingTableName parameter points the stack
 * at it: the functions use that table instead (same grants, conditioned on its ARN), and the
 * stack's own table leaves the stack but is kept (RETAIN, deletion protection) until the operator
 * deletes it deliberately (README "Backup and restore").
 */
import { CfnCondition, CfnParameter, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type CfnTable, type ITable, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_SHAPE } from '../../shared/adapters/dynamo/table';

export class Storage extends Construct {
  /** The table the functions use: the stack's own, or the existing one named by ExistingTableName. */
  readonly table: ITable;
  /** The stack's own table; it exists only while ExistingTableName is empty (condition `CreateTable`). */
  readonly ownTable: Table;
  readonly createTable: CfnCondition;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const existing = new CfnParameter(scope, 'ExistingTableName', {
      type: 'String',
      default: '',
      // DynamoDB's own rule for table names.
      allowedPattern: '^([a-zA-Z0-9_.-]{3,255})?$',
      constraintDescription: 'must be empty or a DynamoDB table name (3 to 255 of a-z, A-Z, 0-9, _ . -)',
      description:
        'Empty (the default): the stack creates and owns its table. A name: the functions use that existing table of this account and region instead (a table restored from a backup, README "Backup and restore"); the stack\'s own table then leaves the stack and is kept.',
    });
    this.createTable = new CfnCondition(this, 'CreateTable', { expression: Fn.conditionEquals(existing.valueAsString, '') });
    this.ownTable = new Table(this, 'Table', {
      partitionKey: { name: TABLE_SHAPE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_SHAPE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_SHAPE.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    (this.ownTable.node.defaultChild as CfnTable).cfnOptions.condition = this.createTable;
    for (const [name, index] of Object.entries(TABLE_SHAPE.indexes)) {
      this.ownTable.addGlobalSecondaryIndex({
        indexName: name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: index.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
      });
    }
    // Every reference goes through this one name, so no resource refers to the own table while it does not exist.
    const tableName = Fn.conditionIf(this.createTable.logicalId, this.ownTable.tableName, existing.valueAsString).toString();
    this.table = Table.fromTableAttributes(this, 'InUse', { tableName });
  }
}
