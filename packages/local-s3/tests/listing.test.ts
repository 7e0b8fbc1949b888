import { CreateBucketCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { bucketName, s3ErrorOf, startHarness, type Harness } from './helpers';

const keys = [
  'incoming/2026/11/27/tx-1/pacs.008.xml',
  'incoming/2026/11/27/tx-2/pacs.008.xml',
  'incoming/2026/11/28/tx-3/pacs.008.xml',
  'outgoing/2026/11/27/tx-1/pacs.002.xml',
  'readme.txt',
];

describe('listing', () => {
  let h: Harness;
  let Bucket: string;
  beforeAll(async () => {
    h = await startHarness();
    Bucket = bucketName('list');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    for (const Key of [...keys].reverse()) await h.s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
  });
  afterAll(() => h.close());

  it.each([
    ['everything', {}, keys, []],
    ['a prefix', { Prefix: 'incoming/2026/11/27/' }, keys.slice(0, 2), []],
    ['the top level with a delimiter', { Delimiter: '/' }, ['readme.txt'], ['incoming/', 'outgoing/']],
    ['days under a prefix with a delimiter', { Prefix: 'incoming/2026/11/', Delimiter: '/' }, [], ['incoming/2026/11/27/', 'incoming/2026/11/28/']],
    ['after a start key', { StartAfter: 'incoming/2026/11/28/tx-3/pacs.008.xml' }, keys.slice(3), []],
    ['a prefix that matches nothing', { Prefix: 'nothing/' }, [], []],
  ])('lists %s', async (_what, params, expectedKeys, expectedPrefixes) => {
    const r = await h.s3.send(new ListObjectsV2Command({ Bucket, ...params }));
    expect((r.Contents ?? []).map((c) => c.Key)).toEqual(expectedKeys);
    expect((r.CommonPrefixes ?? []).map((p) => p.Prefix)).toEqual(expectedPrefixes);
    expect(r.KeyCount).toBe(expectedKeys.length + expectedPrefixes.length);
    expect(r.IsTruncated).toBe(false);
  });

  it('reports size, ETag and last-modified of each key', async () => {
    const r = await h.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'readme' }));
    expect(r.Contents).toEqual([
      expect.objectContaining({ Key: 'readme.txt', Size: 'readme.txt'.length, ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/), LastModified: expect.any(Date) }),
    ]);
  });

  it.each([1, 2, 3])('pages through keys and common prefixes %i at a time', async (MaxKeys) => {
    const seenKeys: string[] = [];
    const seenPrefixes: string[] = [];
    let ContinuationToken: string | undefined;
    let page: ListObjectsV2CommandOutput;
    let pages = 0;
    do {
      page = await h.s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'incoming/2026/11/', Delimiter: '/', MaxKeys, ContinuationToken }));
      pages += 1;
      seenKeys.push(...(page.Contents ?? []).map((c) => c.Key!));
      seenPrefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      expect(page.KeyCount).toBeLessThanOrEqual(MaxKeys);
      ContinuationToken = page.NextContinuationToken;
    } while (page.IsTruncated && pages < 10);
    expect(seenKeys).toEqual([]);
    expect(seenPrefixes).toEqual(['incoming/2026/11/27/', 'incoming/2026/11/28/']);
    expect(pages).toBe(Math.ceil(2 / MaxKeys));
  });

  it('pages through every key two at a time without repeats', async () => {
    const seen: string[] = [];
    let ContinuationToken: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await h.s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 2, ContinuationToken }));
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      if (!page.IsTruncated) break;
      ContinuationToken = page.NextContinuationToken;
    }
    expect(seen).toEqual(keys);
  });

  it('answers max-keys 0 with an empty page that is not truncated', async () => {
    const r = await h.s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 0 }));
    expect(r).toMatchObject({ KeyCount: 0, IsTruncated: false });
    expect(r.Contents).toBeUndefined();
  });

  it('rejects a continuation token it did not issue', async () => {
    expect(await s3ErrorOf(h.s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken: 'bogus' })))).toEqual({
      code: 'InvalidArgument',
      status: 400,
    });
  });

  it('answers the version 1 listing with markers', async () => {
    const r = await h.s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', MaxKeys: 1 }));
    expect(r.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['incoming/']);
    expect(r.IsTruncated).toBe(true);
    const next = await h.s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', Marker: r.NextMarker }));
    expect(next.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['outgoing/']);
    expect(next.Contents?.map((c) => c.Key)).toEqual(['readme.txt']);
  });
});
