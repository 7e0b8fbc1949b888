import { reasonWords } from '@mxflow/contracts/reasons';
import { useEffect, useRef, type ReactNode } from 'react';
import { ProblemError } from '../lib/errors';
import { formatAmount } from '../lib/money';
import { ANSWERED, statusLabel, statusMeaning } from '../lib/statuses';

/** An amount in its currency's own decimals, from the API's decimal text. */
export function Amount({ value, currency }: { value: string; currency: string }) {
  return (
    <span className="amount">
      {formatAmount(value, currency)} <abbr title={currency}>{currency}</abbr>
    </span>
  );
}

/**
 * A status code with its meaning as a tooltip. ANSW shows the answer it
 * stands for (`ANSW · RJCR`), and says what that answer means for a request
 * of `messageType`.
 */
export function StatusBadge({ status, answer, messageType }: { status: string; answer?: string; messageType?: string }) {
  const answered = status === ANSWERED && answer ? answer.toLowerCase() : undefined;
  return (
    <span className={`badge badge-${status.toLowerCase()}${answered ? ` answer-${answered}` : ''}`} title={statusMeaning(status, answer, messageType)} data-testid="status-badge">
      {statusLabel(status, answer)}
    </span>
  );
}

/** A reason code with its ISO name, and its definition when that says more than the name. */
export function Reason({ code }: { code: string }) {
  const meaning = reasonWords(code);
  return (
    <span className="reason" data-testid="reason">
      <code>{code}</code>
      {meaning ? (
        <>
          {' '}
          <strong>{meaning.name}</strong>
          {meaning.definition ? `: ${meaning.definition}` : null}
        </>
      ) : null}
    </span>
  );
}

/** An error for people: problem details with the fields they name, or the message of any other error. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  const problem = error instanceof ProblemError ? error.problem : undefined;
  return (
    <div className="error" role="alert">
      <p>
        <strong>{title ?? problem?.title ?? 'Something went wrong'}</strong>
        {problem?.status ? ` (HTTP ${problem.status})` : null}
        {': '}
        {problem ? (problem.detail ?? problem.title) : error instanceof Error ? error.message : String(error)}
      </p>
      {problem?.errors?.length ? (
        <ul>
          {problem.errors.map((issue, index) => (
            <li key={index}>
              {issue.path ? <code>{issue.path}</code> : null} {issue.message}
              {issue.reasonCode ? <> ({issue.reasonCode})</> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The heading of a page: focused when the page opens, so that keyboard and screen reader users start there. */
export function PageHeading({ children, testId }: { children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref} data-testid={testId}>
      {children}
    </h1>
  );
}

/** A modal confirmation on the native `<dialog>`: focus is trapped and Escape cancels. */
export function ConfirmDialog(props: { open: boolean; title: string; children: ReactNode; confirmLabel: string; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" onCancel={props.onCancel} data-testid="confirm-dialog">
      <h2 id="confirm-title">{props.title}</h2>
      {props.children}
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={props.onConfirm} autoFocus>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
