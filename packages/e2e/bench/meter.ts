/**
 * What a run of the platform costs in AWS requests: an HTTP proxy in front of
 * the local DynamoDB, S3 or SNS endpoint that counts every request by kind,
 * and for DynamoDB the read and write capacity units each one consumed (it
 * asks for `ReturnConsumedCapacity: TOTAL`, as AWS bills them). The services
 * are pointed at the proxy through their endpoint variables; nothing in them
 * changes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Counts of one endpoint. */
export interface Meter {
  /** The proxy's URL: give it to the services as their endpoint. */
  readonly url: string;
  /** Requests by kind: `PutItem`, `TransactWriteItems`, `PUT object`, `Publish` … */
  readonly calls: Map<string, number>;
  /** DynamoDB requests by kind and table (`GetItem entities`, `TransactWriteItems transactions+liquidity` …). */
  readonly byTable: Map<string, number>;
  /** Consumed capacity units (DynamoDB only). */
  readonly units: { read: number; write: number };
  /** Consumed write capacity units by the kind and table of the request that consumed them (DynamoDB only). */
  readonly writeUnitsByTable: Map<string, number>;
  /** Where requests go: until it is set, they wait (the services are started with the proxy's URL before the cloud's ports are known). */
  target(url: string): void;
  /** Starts counting afresh. */
  reset(): void;
  close(): Promise<void>;
}

type Kind = 'dynamodb' | 's3' | 'sns';

/** DynamoDB operations that answer with ConsumedCapacity when asked. */
const CAPACITY_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'TransactWriteItems', 'TransactGetItems', 'BatchGetItem', 'BatchWriteItem']);

function kindOf(service: Kind, request: http.IncomingMessage, body: Buffer): string {
  if (service === 'dynamodb') return String(request.headers['x-amz-target'] ?? 'unknown').split('.').pop() ?? 'unknown';
  if (service === 'sns') return new URLSearchParams(body.toString('utf8')).get('Action') ?? 'unknown';
  // S3: path style, /bucket/key…; a key makes it an object request.
  const [, , ...key] = (request.url ?? '/').split('?')[0]!.split('/');
  return `${request.method} ${key.join('/') ? 'object' : 'bucket'}`;
}

interface Capacity {
  readonly ReadCapacityUnits?: number;
  readonly WriteCapacityUnits?: number;
  readonly CapacityUnits?: number;
}

/** Sums the consumed capacity of a DynamoDB answer (one entry, or one per table). */
function capacityOf(body: Buffer, operation: string): { read: number; write: number } {
  let parsed: { ConsumedCapacity?: Capacity | Capacity[] };
  try {
    parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
  } catch {
    return { read: 0, write: 0 };
  }
  const entries = parsed.ConsumedCapacity === undefined ? [] : Array.isArray(parsed.ConsumedCapacity) ? parsed.ConsumedCapacity : [parsed.ConsumedCapacity];
  const writes = /Put|Update|Delete|Write/.test(operation);
  return entries.reduce(
    (sum, entry) => ({
      read: sum.read + (entry.ReadCapacityUnits ?? (writes ? 0 : (entry.CapacityUnits ?? 0))),
      write: sum.write + (entry.WriteCapacityUnits ?? (writes ? (entry.CapacityUnits ?? 0) : 0)),
    }),
    { read: 0, write: 0 },
  );
}

/** The tables a DynamoDB request names, short (the stage's prefix cut off), sorted. */
function tablesOf(request: Record<string, unknown>): string[] {
  const names = new Set<string>();
  if (typeof request.TableName === 'string') names.add(request.TableName);
  for (const name of Object.keys((request.RequestItems as Record<string, unknown> | undefined) ?? {})) names.add(name);
  for (const item of (request.TransactItems as Record<string, { TableName?: string }>[] | undefined) ?? []) {
    for (const operation of Object.values(item)) if (operation.TableName) names.add(operation.TableName);
  }
  return [...names].map((name) => name.split(/[-_]/).at(-1) ?? name).sort();
}

/** Starts a counting proxy on a free port; {@link Meter.target} says where it forwards to. */
export async function startMeter(service: Kind): Promise<Meter> {
  const calls = new Map<string, number>();
  const byTable = new Map<string, number>();
  const units = { read: 0, write: 0 };
  const writeUnitsByTable = new Map<string, number>();
  let setTarget: (url: URL) => void = () => undefined;
  const upstreamReady = new Promise<URL>((resolve) => {
    setTarget = resolve;
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const upstream = await upstreamReady;
      let body = Buffer.concat(chunks);
      const kind = kindOf(service, request, body);
      calls.set(kind, (calls.get(kind) ?? 0) + 1);
      const headers = { ...request.headers, host: upstream.host };
      let where: string | undefined;
      if (service === 'dynamodb' && CAPACITY_OPERATIONS.has(kind)) {
        // DynamoDB Local checks no signature: the body can ask for the capacity the request consumed.
        const json = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
        where = `${kind} ${tablesOf(json).join('+')}`;
        byTable.set(where, (byTable.get(where) ?? 0) + 1);
        body = Buffer.from(JSON.stringify({ ...json, ReturnConsumedCapacity: 'TOTAL' }));
        headers['content-length'] = String(body.length);
      }
      const forward = http.request({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers, agent }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          const answered = Buffer.concat(parts);
          if (service === 'dynamodb') {
            const used = capacityOf(answered, kind);
            units.read += used.read;
            units.write += used.write;
            if (where && used.write > 0) writeUnitsByTable.set(where, (writeUnitsByTable.get(where) ?? 0) + used.write);
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          response.end(answered);
        });
      });
      forward.on('error', () => {
        response.writeHead(502);
        response.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    byTable,
    units,
    writeUnitsByTable,
    target: (url) => setTarget(new URL(url)),
    reset() {
      calls.clear();
      byTable.clear();
      writeUnitsByTable.clear();
      units.read = 0;
      units.write = 0;
    },
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
