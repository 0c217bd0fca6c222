/**
 * What Step Functions accepts as an execution name when the state machine logs to CloudWatch
 * (ours do): 1 to 80 of A-Z, a-z, 0-9, '-' and '_'. The local host refuses the same names, so a
 * name that works locally works on AWS.
 */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function checkExecutionName(name: string): void {
  if (!EXECUTION_NAME.test(name)) throw new Error(`invalid execution name ${JSON.stringify(name)}: 1 to 80 of A-Z, a-z, 0-9, '-' and '_' (Step Functions with logging)`);
}
