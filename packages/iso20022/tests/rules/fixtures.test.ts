import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageIdsOf, officialXsdProblems } from '../responses/official-xsd';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/messages');
const files = readdirSync(fixtures).flatMap((dir) => readdirSync(path.join(fixtures, dir)).map((file) => `${dir}/${file}`));
const valid = files.filter((file) => path.basename(file).startsWith('valid'));
/** Invalid fixtures that break a business rule only, so the official XSD must still accept them. */
const ruleOnly = files.filter((file) => path.basename(file).startsWith('invalid') && !/invalid-(date|uetr)\.xml$/.test(file));

describe('message fixtures', () => {
  it('cover every supported message type', () => {
    expect(new Set(valid.map((file) => path.dirname(file)))).toEqual(
      new Set([
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
      ]),
    );
  });

  it.each(valid)('%s passes the official XSD', (file) => {
    expect(officialXsdProblems(readFileSync(path.join(fixtures, file), 'utf8'))).toEqual([]);
  });

  it.each(ruleOnly)('%s passes the official XSD, so only a business rule can refuse it', (file) => {
    expect(officialXsdProblems(readFileSync(path.join(fixtures, file), 'utf8'))).toEqual([]);
  });

  it.each(files)('%s is a message of its directory', (file) => {
    expect(messageIdsOf(readFileSync(path.join(fixtures, file), 'utf8'))).toContain(path.dirname(file));
  });

  it('holds a pacs.008 of about 5 KB', () => {
    expect(readFileSync(path.join(fixtures, 'pacs.008.001.08/valid.xml')).length).toBeGreaterThan(4500);
  });
});
