import { useEffect, useState } from 'react';
import { Amount, ErrorMessage, PageHeading, Reason, StatusBadge } from '../components/common';
import { contentPath, MessageView } from '../components/MessageView';
import { useConsole, useInterval, useLoad } from '../context';
import { formatDuration, formatTimestamp, timeline } from '../lib/durations';
import { ProblemError } from '../lib/errors';
import { hrefOf } from '../lib/routes';
import { ANSWERED, statusLabel, statusMeaning } from '../lib/statuses';
import { childStatusCounts, relatedTransactions, transfersText, type ArchivedMessage, type ChildTransaction, type TransactionDetail } from '../lib/transactions';

const POLL_MS = 1000;

function TransactionLink({ id, testId }: { id: string; testId?: string }) {
  return (
    <a href={hrefOf({ page: 'transaction', id })} className="mono" data-testid={testId}>
      {id}
    </a>
  );
}

/** The transactions made from a pain.001's transfers, in message order: each a link, with its EndToEndId, receiver, amount and status. */
function Transfers({ items, count }: { items: readonly ChildTransaction[]; count: number }) {
  const counts = childStatusCounts(items);
  return (
    <>
      <h2 id="transfers-heading">Transfers</h2>
      <p className="muted" data-testid="transfer-counts">
        {items.length} of {count} made{counts.length ? `: ${counts.map(([status, n]) => `${n} ${status}`).join(', ')}` : ''}
      </p>
      <div className="table-wrap">
        <table aria-labelledby="transfers-heading" data-testid="children">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Transaction</th>
              <th scope="col">EndToEndId</th>
              <th scope="col">Receiver</th>
              <th scope="col">Amount</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((child, index) => (
              <tr key={child.transactionId} data-testid="child-row" data-row-id={child.transactionId}>
                <td>{index + 1}</td>
                <td>
                  <TransactionLink id={child.transactionId} testId="child-link" />
                </td>
                <td className="mono">{child.endToEndId ?? '—'}</td>
                <td data-testid="child-receiver">{child.parties.receiver ?? '—'}</td>
                <td>{child.amount ? <Amount value={child.amount.value} currency={child.amount.currency} /> : '—'}</td>
                <td data-testid="child-status">
                  <StatusBadge status={child.status} answer={child.answer} messageType={child.messageType} />
                  {child.reasonCode ? <> <code>{child.reasonCode}</code></> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** One transaction: its state, step timeline, related transactions and archived messages. */
export function TransactionPage({ id }: { id: string }) {
  const { api } = useConsole();
  const [detail, setDetail] = useState<TransactionDetail>();
  const [error, setError] = useState<unknown>();
  const [now, setNow] = useState(() => Date.now());
  const path = `/v1/transactions/${encodeURIComponent(id)}`;

  const load = () =>
    api.get<TransactionDetail>(path).then(
      (loaded) => {
        setDetail(loaded);
        setError(undefined);
        setNow(Date.now());
      },
      (failure: unknown) => setError(failure),
    );
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path]);
  // An open transaction moves on by itself: follow it until it is final.
  useInterval(() => void load(), detail && !detail.final ? POLL_MS : undefined);

  const stepCount = detail?.steps.length ?? 0;
  const messages = useLoad(
    () => (detail ? api.get<{ messages: ArchivedMessage[] }>(`${path}/messages`) : Promise.resolve({ messages: [] as ArchivedMessage[] })),
    [path, stepCount, detail !== undefined],
  );

  if (error instanceof ProblemError && error.problem.status === 404) {
    return (
      <section>
        <PageHeading testId="not-found">Transaction not found</PageHeading>
        <p>
          There is no transaction <code>{id}</code> that you may see. <a href={hrefOf({ page: 'transactions' })}>Back to the transactions</a>
        </p>
      </section>
    );
  }
  if (!detail) {
    return (
      <section>
        <PageHeading>Transaction</PageHeading>
        {error ? <ErrorMessage error={error} title="The transaction could not be loaded" /> : <p>Loading…</p>}
      </section>
    );
  }

  const steps = timeline(detail.steps, detail.final, now);
  const related = relatedTransactions(detail);
  const list = messages.data?.messages ?? [];
  const apiGivesLinks = list.some((message) => message.links !== undefined);

  return (
    <section>
      <PageHeading>
        Transaction <span className="mono">{detail.transactionId}</span>
      </PageHeading>
      {error ? <ErrorMessage error={error} title="The latest state could not be loaded" /> : null}
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="transaction-status" aria-live="polite">
          <StatusBadge status={detail.status} answer={detail.answer} messageType={detail.messageType} /> {detail.final ? '(final)' : '(in progress)'}
          {detail.status === ANSWERED && detail.answer ? (
            <div className="muted" data-testid="answer-meaning">
              {statusMeaning(detail.status, detail.answer, detail.messageType)}
            </div>
          ) : null}
        </dd>
        {detail.reasonCode ? (
          <>
            <dt>Reason</dt>
            <dd>
              <Reason code={detail.reasonCode} />
              {detail.detail ? <div className="muted">{detail.detail}</div> : null}
            </dd>
          </>
        ) : null}
        <dt>Type</dt>
        <dd>{detail.messageType ?? '—'}</dd>
        <dt>Sender</dt>
        <dd>{detail.parties.sender ?? '—'}</dd>
        {detail.parentTransactionId ? (
          <>
            <dt>Made from</dt>
            <dd>
              <TransactionLink id={detail.parentTransactionId} testId="parent-link" /> <span className="muted">(the pain.001 this payment is a transfer of)</span>
            </dd>
          </>
        ) : null}
        {detail.paymentRequest ? (
          <>
            <dt>Pays</dt>
            <dd>
              <TransactionLink id={detail.paymentRequest.transactionId} testId="payment-request-link" />{' '}
              <span className="muted">(the request to pay, {statusLabel(detail.paymentRequest.status, detail.paymentRequest.answer)})</span>
            </dd>
          </>
        ) : null}
        {detail.messageType === 'pain.013' ? (
          <>
            <dt>Paid by</dt>
            <dd data-testid="payments">
              {detail.payments?.length
                ? detail.payments.map((payment, index) => (
                    <span key={payment.transactionId}>
                      {index > 0 ? ', ' : null}
                      <TransactionLink id={payment.transactionId} testId="payment-link" /> <span className="muted">({payment.status})</span>
                    </span>
                  ))
                : <span className="muted">no payment yet</span>}
            </dd>
          </>
        ) : null}
        <dt>{detail.transfers ? 'Receivers' : 'Receiver'}</dt>
        <dd data-testid="receiver">{transfersText(detail) ?? detail.parties.receiver ?? '—'}</dd>
        <dt>{detail.transfers ? 'Total' : 'Amount'}</dt>
        <dd data-testid="amount">
          {detail.transfers?.totals?.length ? (
            detail.transfers.totals.map((total, index) => (
              <span key={total.currency}>
                {index > 0 ? ' + ' : null}
                <Amount value={total.value} currency={total.currency} />
              </span>
            ))
          ) : detail.amount ? (
            <Amount value={detail.amount.value} currency={detail.amount.currency} />
          ) : detail.transfers && !(detail.final && !detail.children?.length) ? (
            <span className="muted">known once every transfer is made</span>
          ) : (
            '—'
          )}
        </dd>
        {detail.returned ? (
          <>
            <dt>Returned</dt>
            <dd>
              <Amount value={detail.returned.value} currency={detail.returned.currency} />
            </dd>
          </>
        ) : null}
        <dt>MsgId</dt>
        <dd className="mono">{detail.messageIds.msgId ?? '—'}</dd>
        <dt>EndToEndId</dt>
        <dd className="mono">{detail.messageIds.endToEndIds.join(', ') || '—'}</dd>
        <dt>UETR</dt>
        <dd className="mono">{detail.messageIds.uetrs.join(', ') || '—'}</dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={detail.createdAt}>{formatTimestamp(detail.createdAt)}</time>
        </dd>
        {detail.deadline ? (
          <>
            <dt>Deadline</dt>
            <dd>
              <time dateTime={detail.deadline}>{formatTimestamp(detail.deadline)}</time>
            </dd>
          </>
        ) : null}
      </dl>

      {detail.transfers ? <Transfers items={detail.children ?? []} count={detail.transfers.count} /> : null}

      <h2>Timeline</h2>
      <ol className="timeline" data-testid="timeline">
        {steps.map(({ step, spentMs, sinceStartMs }, index) => (
          <li key={`${step.step}-${index}`} data-testid="timeline-step" data-status={step.status}>
            <div className="when">
              <time dateTime={step.timestamp}>{formatTimestamp(step.timestamp)}</time>
              <span className="muted"> +{formatDuration(sinceStartMs)}</span>
            </div>
            <div className="what">
              <StatusBadge status={step.status} answer={step.answer ?? (step.status === ANSWERED ? detail.answer : undefined)} messageType={detail.messageType} /> <code>{step.step}</code>
              {step.messageType ? <span className="muted"> · {step.messageType}</span> : null}
              {step.reasonCode ? (
                <div>
                  <Reason code={step.reasonCode} />
                </div>
              ) : null}
              {step.detail ? <div className="muted">{step.detail}</div> : null}
              {step.relatedTransactionId ? (
                <div>
                  Related: <TransactionLink id={step.relatedTransactionId} />
                </div>
              ) : null}
            </div>
            <div className="spent">{spentMs === undefined ? '' : <>in this step {formatDuration(spentMs)}{index === steps.length - 1 ? ' so far' : ''}</>}</div>
          </li>
        ))}
      </ol>

      {related.length ? (
        <>
          <h2>Related transactions</h2>
          <ul data-testid="related">
            {related.map((item) => (
              <li key={item.transactionId}>
                <TransactionLink id={item.transactionId} /> <span className="muted">({item.relation})</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Messages</h2>
      {messages.error ? <ErrorMessage error={messages.error} title="The messages could not be listed" /> : null}
      {list.length === 0 && !messages.loading ? <p>No message is archived yet.</p> : null}
      {list.map((message) => (
        <MessageView key={message.archiveKey} transactionId={detail.transactionId} message={message} path={contentPath(detail.transactionId, message, apiGivesLinks)} />
      ))}
    </section>
  );
}
