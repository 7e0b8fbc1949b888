import { useMemo, useRef, useState, type ChangeEvent } from 'react';
import { ErrorMessage, PageHeading, Reason } from '../components/common';
import { useConsole } from '../context';
import { ProblemError, type Problem } from '../lib/errors';
import { hrefOf } from '../lib/routes';
import { issuesByLine, markedLines } from '../lib/submission';

interface Accepted {
  readonly transactionId: string;
  readonly requestId?: string;
  readonly status: string;
  readonly messageType?: string;
}

type Outcome =
  | { readonly kind: 'valid'; readonly messageType: string }
  | { readonly kind: 'sent'; readonly accepted: Accepted }
  | { readonly kind: 'refused'; readonly action: 'validate' | 'send'; readonly problem: Problem }
  | { readonly kind: 'failed'; readonly error: unknown };

/** The message with line numbers, the lines that issues point at marked. */
function MarkedText({ text, lines }: { text: string; lines: Set<number> }) {
  return (
    <pre className="code numbered" tabIndex={0} aria-label="The message with the lines that have errors marked" data-testid="marked-message">
      {text.split('\n').map((line, index) => {
        const number = index + 1;
        const marked = lines.has(number);
        return (
          <span key={number} className={marked ? 'line marked' : 'line'} data-line={number} data-marked={marked || undefined}>
            <span className="number" aria-hidden="true">
              {number}
            </span>
            {marked ? <span className="visually-hidden">Error on line {number}: </span> : null}
            {line}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}

/** Paste or upload an ISO 20022 message, validate it, send it. */
export function SubmitPage() {
  const { api, announce } = useConsole();
  const [text, setText] = useState('');
  // An uploaded file goes as it is, byte for byte, until the text is edited.
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const [checkedText, setCheckedText] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    setText(await chosen.text());
    setFile(chosen);
    setOutcome(undefined);
  };

  const run = async (action: 'validate' | 'send') => {
    setBusy(true);
    setCheckedText(text);
    const body = file ?? text;
    try {
      if (action === 'validate') {
        const answer = await api.postXml<{ valid: boolean; messageType: string }>('/v1/messages/validate', body);
        setOutcome({ kind: 'valid', messageType: answer.messageType });
        announce(`The message is a valid ${answer.messageType}.`);
      } else {
        const accepted = await api.postXml<Accepted>('/v1/messages', body);
        setOutcome({ kind: 'sent', accepted });
        announce(`Sent: transaction ${accepted.transactionId}, ${accepted.status}.`);
      }
    } catch (error) {
      if (error instanceof ProblemError) {
        setOutcome({ kind: 'refused', action, problem: error.problem });
        announce(`${action === 'validate' ? 'Validation' : 'Sending'} failed: ${error.problem.errors?.length ?? 0} error(s).`);
      } else setOutcome({ kind: 'failed', error });
    } finally {
      setBusy(false);
    }
  };

  const issues = useMemo(() => (outcome?.kind === 'refused' ? issuesByLine(outcome.problem) : []), [outcome]);
  const lines = useMemo(() => markedLines(issues), [issues]);
  const reasonCode = outcome?.kind === 'refused' ? (outcome.problem.extensions?.reasonCode as string | undefined) : undefined;

  return (
    <section>
      <PageHeading>Submit a message</PageHeading>
      <form onSubmit={(event) => event.preventDefault()} aria-label="Message to submit">
        <div className="field">
          <label htmlFor="message-text">ISO 20022 message (XML)</label>
          <textarea
            id="message-text"
            rows={18}
            spellCheck={false}
            value={text}
            aria-describedby={outcome?.kind === 'refused' ? 'submit-issues' : undefined}
            onChange={(event) => {
              setText(event.target.value);
              setFile(undefined);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="message-file">Or upload a file</label>
          <input id="message-file" ref={fileInput} type="file" accept=".xml,application/xml,text/xml" onChange={(event) => void upload(event)} />
          {file ? <p className="muted small">Sending {file.name} as uploaded ({file.size.toLocaleString('en')} bytes) until the text is edited.</p> : null}
        </div>
        <div className="actions">
          <button type="button" onClick={() => void run('validate')} disabled={busy || !text.trim()}>
            Validate
          </button>
          <button type="button" className="primary" onClick={() => void run('send')} disabled={busy || !text.trim()}>
            Send
          </button>
        </div>
      </form>
      <div aria-live="polite" data-testid="submit-outcome">
        {outcome?.kind === 'valid' ? (
          <p className="done" data-testid="valid">
            ✓ The message is a valid {outcome.messageType}. Nothing was recorded.
          </p>
        ) : null}
        {outcome?.kind === 'sent' ? (
          <p className="done">
            Accepted with status {outcome.accepted.status}:{' '}
            <a href={hrefOf({ page: 'transaction', id: outcome.accepted.transactionId })} data-testid="submitted-link">
              transaction {outcome.accepted.transactionId}
            </a>
          </p>
        ) : null}
        {outcome?.kind === 'failed' ? <ErrorMessage error={outcome.error} /> : null}
      </div>
      {outcome?.kind === 'refused' ? (
        <div className="error" role="alert" id="submit-issues" data-testid="issues">
          <p>
            <strong>
              {outcome.action === 'validate' ? 'Not valid' : 'Refused'}: {outcome.problem.title ?? 'Error'} (HTTP {outcome.problem.status})
            </strong>
            {outcome.problem.detail ? ` ${outcome.problem.detail}` : ''}
          </p>
          {reasonCode ? (
            <p>
              Reason: <Reason code={reasonCode} />
            </p>
          ) : null}
          {issues.length ? (
            <table className="issues">
              <caption className="visually-hidden">Errors in the message</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Column</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Where</th>
                  <th scope="col">What</th>
                </tr>
              </thead>
              <tbody>
                {issues.map((issue, index) => (
                  <tr key={index} data-testid="issue">
                    <td>{issue.line ?? '—'}</td>
                    <td>{issue.column ?? '—'}</td>
                    <td>{issue.reasonCode ? <code>{issue.reasonCode}</code> : '—'}</td>
                    <td>{issue.path ? <code>{issue.path}</code> : '—'}</td>
                    <td>{issue.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {lines.size ? <MarkedText text={checkedText} lines={lines} /> : null}
        </div>
      ) : null}
    </section>
  );
}
