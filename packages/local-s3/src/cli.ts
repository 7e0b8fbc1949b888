import { parseArgs } from 'node:util';
import { ConfigurationError } from './errors';
import { startLocalS3 } from './server';

const usage = 'usage: local-s3 [--port P] [--host H] [--data-dir D]';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(usage);
} else {
  const port = Number(values.port);
  if (!Number.isInteger(port)) throw new ConfigurationError(`--port must be an integer\n${usage}`);
  const server = await startLocalS3({ port, host: values.host, dataDir: values['data-dir'] });
  console.log(`local-s3 listening on ${server.endpoint}`);
  const shutdown = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
