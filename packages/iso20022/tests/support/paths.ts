import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root, found from this file's location. */
export const repoRoot = path.resolve(here, '../../../..');

/** The official ISO 20022 XSDs, kept beside the repository; tests may read them, the package never does. */
export const officialXsdDir = path.resolve(repoRoot, '../shared/iso20022/xsd');

export const officialXsd = (messageId: string): string => readFileSync(path.join(officialXsdDir, `${messageId}.xsd`), 'utf8');

export const engineFixture = (name: string): string => readFileSync(path.resolve(here, '../fixtures/engine', name), 'utf8');

export const engineFixturePath = (name: string): string => path.resolve(here, '../fixtures/engine', name);

/** The messages the package supports, with the root element of their Document. */
export const supportedMessages = [
  'pacs.008.001.08',
  'pacs.002.001.10',
  'pacs.004.001.09',
  'pacs.028.001.03',
  'camt.056.001.08',
  'camt.029.001.09',
  'pain.001.001.09',
  'pain.002.001.10',
  'pain.013.001.07',
  'pain.014.001.07',
  'camt.060.001.05',
  'camt.052.001.08',
  'camt.053.001.08',
  'camt.054.001.08',
  'head.001.001.02',
] as const;

/** The per-message fixtures (`tests/fixtures/messages/<messageId>/*.xml`), when present. */
export function messageFixtures(): { messageId: string; name: string; xml: string }[] {
  const root = path.resolve(here, '../fixtures/messages');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((messageId) =>
    readdirSync(path.join(root, messageId))
      .filter((name) => name.endsWith('.xml'))
      .map((name) => ({ messageId, name, xml: readFileSync(path.join(root, messageId, name), 'utf8') })),
  );
}
