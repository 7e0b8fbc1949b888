import { useEffect, useMemo, useState } from 'react';
import { useConsole } from '../context';
import { reprDigestSha256, sha256 } from '../lib/digest';
import { fileNameOf } from '../lib/download';
import type { ArchivedMessage } from '../lib/transactions';
import { highlightXml, prettyXml } from '../lib/xml';
import { ErrorMessage } from './common';
import { useObjectUrl } from './download';

interface Fetched {
  readonly bytes: ArrayBuffer;
  readonly digest: { base64: string; hex: string };
  readonly announced?: string;
  readonly archiveKey?: string;
  /** The answer's `Content-Disposition`, which may name the file. */
  readonly disposition?: string;
}

/**
 * Where a message's content is: the link the API gives, or (where the API
 * gives no links) the direction's URL, which serves the caller's own message.
 */
export function contentPath(transactionId: string, message: ArchivedMessage, apiGivesLinks: boolean): string | undefined {
  if (message.links?.content) return message.links.content;
  if (apiGivesLinks) return undefined;
  return `/v1/transactions/${encodeURIComponent(transactionId)}/messages/${message.direction}`;
}

/** One archived message: pretty XML beside its JSON form, its SHA-256 checked against the archive's, and its exact bytes to download. */
export function MessageView({ transactionId, message, path }: { transactionId: string; message: ArchivedMessage; path: string | undefined }) {
  const { api } = useConsole();
  const [fetched, setFetched] = useState<Fetched>();
  const [error, setError] = useState<unknown>();
  const [json, setJson] = useState<{ document?: unknown; unavailable?: string }>();

  useEffect(() => {
    if (!path) return;
    let current = true;
    api.bytes(path).then(
      async (answer) => {
        const digest = await sha256(answer.bytes);
        if (current) {
          setFetched({
            bytes: answer.bytes,
            digest,
            announced: reprDigestSha256(answer.headers.get('repr-digest')),
            archiveKey: answer.headers.get('x-archive-key') ?? undefined,
            disposition: answer.headers.get('content-disposition') ?? undefined,
          });
        }
      },
      (failure: unknown) => current && setError(failure),
    );
    api.get<{ document?: unknown }>(path, 'application/json').then(
      (answer) => current && setJson(answer && typeof answer === 'object' && 'document' in answer ? { document: answer.document } : { unavailable: 'The API sent no JSON form.' }),
      () => current && setJson({ unavailable: 'The JSON form is not available for this message.' }),
    );
    return () => {
      current = false;
    };
  }, [api, path]);

  const text = useMemo(() => (fetched ? new TextDecoder('utf-8').decode(fetched.bytes) : ''), [fetched]);
  const highlighted = useMemo(() => (text ? highlightXml(prettyXml(text)) : ''), [text]);
  const download = useObjectUrl(fetched?.bytes);

  const id = `message-${message.direction}-${message.messageType}-${message.archiveKey.replace(/[^A-Za-z0-9]/g, '')}`;
  // Without links, the direction's URL answers with the caller's own message; another party's is not shown.
  const notMine = fetched?.archiveKey !== undefined && fetched.archiveKey !== message.archiveKey;
  const matches = fetched?.announced === undefined ? undefined : fetched.announced === fetched.digest.base64;

  return (
    <article className="message" aria-labelledby={`${id}-title`} data-testid={`message-${message.direction}-${message.messageType}`}>
      <h3 id={`${id}-title`}>
        {message.direction === 'incoming' ? 'Incoming' : 'Outgoing'} {message.messageType}
        {message.entityId ? <span className="muted"> · {message.direction === 'incoming' ? 'from' : 'to'} {message.entityId}</span> : null}
      </h3>
      <p className="muted mono small">{message.archiveKey}</p>
      {!path || notMine ? (
        <p>This message is addressed to another party; its content is not available to you.</p>
      ) : error ? (
        <ErrorMessage error={error} title="The message could not be loaded" />
      ) : !fetched ? (
        <p>Loading…</p>
      ) : (
        <>
          <dl className="digest">
            <dt>SHA-256 (computed here over the exact bytes)</dt>
            <dd className="mono" data-testid="sha256">
              {fetched.digest.hex}
            </dd>
            <dt>Archive's digest</dt>
            <dd data-testid="digest-check">
              {matches === undefined ? 'The API sent no Repr-Digest.' : matches ? <span className="ok">✓ matches the archive's Repr-Digest</span> : <span className="bad">✗ does not match the archive's Repr-Digest ({fetched.announced})</span>}
            </dd>
            <dt>Size</dt>
            <dd>{fetched.bytes.byteLength.toLocaleString('en')} bytes</dd>
          </dl>
          <p>
            <a className="button" href={download} download={fileNameOf(fetched.disposition, `${transactionId}-${message.direction}-${message.messageType}.xml`)} data-testid="download">
              Download the exact bytes<span className="visually-hidden"> of the {message.direction} {message.messageType}</span>
            </a>
          </p>
          <div className="side-by-side">
            <section aria-label={`XML of the ${message.direction} ${message.messageType}`}>
              <h4>XML (pretty-printed)</h4>
              <pre className="code" tabIndex={0}>
                <code className="hljs language-xml" dangerouslySetInnerHTML={{ __html: highlighted }} />
              </pre>
            </section>
            <section aria-label={`JSON form of the ${message.direction} ${message.messageType}`}>
              <h4>JSON form</h4>
              {json === undefined ? (
                <p>Loading…</p>
              ) : json.unavailable ? (
                <p className="muted">{json.unavailable}</p>
              ) : (
                <pre className="code" tabIndex={0} data-testid="json-form">
                  <code>{JSON.stringify(json.document, null, 2)}</code>
                </pre>
              )}
            </section>
          </div>
        </>
      )}
    </article>
  );
}
