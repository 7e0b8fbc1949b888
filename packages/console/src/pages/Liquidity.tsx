import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useMemo, useState } from 'react';
import { BalanceChart } from '../components/BalanceChart';
import { Amount, ErrorMessage, PageHeading } from '../components/common';
import { DataTable } from '../components/DataTable';
import { DownloadButton } from '../components/download';
import { useConsole, useLoad } from '../context';
import { Role } from '../lib/auth';
import { balanceHistory } from '../lib/balance';
import { formatTimestamp } from '../lib/durations';
import { exponentOf } from '../lib/money';
import { hrefOf } from '../lib/routes';
import { isBusinessDay, previousBusinessDay, statementContentPath, statementFileName, statementsPath, type StatementItem, type StatementList } from '../lib/statements';

interface BalanceView {
  readonly currency: string;
  readonly amount: string;
  readonly updatedAt: string;
  readonly threshold?: string;
}
interface PostingView {
  readonly currency: string;
  readonly amount: string;
  readonly reference: string;
  readonly leg: string;
  readonly timestamp: string;
}
interface EntityView {
  readonly entityId: string;
  readonly name: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const balanceColumn = createColumnHelper<BalanceView>();
const balanceColumns = [
  balanceColumn.accessor('currency', { header: 'Currency' }),
  balanceColumn.accessor('amount', { header: 'Balance', enableSorting: false, cell: (info) => <Amount value={info.getValue()} currency={info.row.original.currency} /> }),
  balanceColumn.accessor((row) => row.threshold, {
    id: 'threshold',
    header: 'Low-balance threshold',
    enableSorting: false,
    cell: (info) => {
      const threshold = info.getValue();
      return threshold ? <Amount value={threshold} currency={info.row.original.currency} /> : '—';
    },
  }),
  balanceColumn.accessor('updatedAt', { header: 'Updated (UTC)', cell: (info) => formatTimestamp(info.getValue()) }),
];

const postingColumn = createColumnHelper<PostingView>();
const postingColumns = [
  postingColumn.accessor('timestamp', { header: 'Time (UTC)', cell: (info) => <time dateTime={info.getValue()}>{formatTimestamp(info.getValue())}</time> }),
  postingColumn.accessor('leg', { header: 'Leg' }),
  postingColumn.accessor('amount', { header: 'Amount', enableSorting: false, cell: (info) => <Amount value={info.getValue()} currency={info.row.original.currency} /> }),
  postingColumn.accessor('reference', {
    header: 'Reference',
    cell: (info) => (UUID.test(info.getValue()) ? <a className="mono" href={hrefOf({ page: 'transaction', id: info.getValue() })}>{info.getValue()}</a> : <span className="mono">{info.getValue()}</span>),
  }),
];

interface StatementRow extends StatementItem {
  /** Where its XML is. */
  readonly path: string;
}

const statementColumn = createColumnHelper<StatementRow>();
const statementColumns = [
  statementColumn.accessor('currency', { header: 'Currency' }),
  statementColumn.accessor('date', { header: 'Business day', cell: (info) => <time dateTime={info.getValue()}>{info.getValue()}</time> }),
  statementColumn.accessor('messageType', { header: 'Message', enableSorting: false }),
  statementColumn.display({
    id: 'download',
    header: 'File',
    cell: (info) => {
      const row = info.row.original;
      return (
        <DownloadButton path={row.path} fallbackName={statementFileName(row)} testId="statement-download">
          Download<span className="visually-hidden"> the {row.currency} statement of {row.date}</span>
        </DownloadButton>
      );
    },
  }),
];

const NO_STATEMENT = 'No statement for this day yet: the business day closes at its cut-off.';

/**
 * The end-of-day statements (camt.053) of one business day, one per
 * settlement account: the caller's own, or `participant`'s for the operator.
 */
function Statements({ operator, participant, refresh }: { operator: boolean; participant: string; refresh: number }) {
  const { api } = useConsole();
  const latest = useMemo(() => previousBusinessDay(new Date()), []);
  const [day, setDay] = useState(latest);
  const owner = operator ? participant : undefined;
  const ready = (!operator || participant !== '') && isBusinessDay(day);
  const statements = useLoad(() => (ready ? api.get<StatementList>(statementsPath(day, owner)) : Promise.resolve(undefined)), [api, ready, day, owner, refresh]);
  const rows = useMemo<StatementRow[]>(() => (statements.data?.items ?? []).map((item) => ({ ...item, path: statementContentPath(item, owner) })), [statements.data, owner]);

  return (
    <section aria-labelledby="statements-heading" data-testid="statements-section">
      <h2 id="statements-heading">
        Statements{statements.data ? <span className="muted"> of {statements.data.entityId}</span> : null}
      </h2>
      <p className="muted">End-of-day account statements (camt.053), one per settlement account, written once the business day closes (UTC).</p>
      <form className="filters" onSubmit={(event) => event.preventDefault()} aria-label="Choose the business day">
        <div className="field">
          <label htmlFor="statements-date">Business day (UTC)</label>
          <input id="statements-date" type="date" value={day} max={latest} required onChange={(event) => setDay(event.target.value)} />
        </div>
      </form>
      {!isBusinessDay(day) ? (
        <p className="notice">Pick a business day to see its statements.</p>
      ) : (
        <>
          {statements.error ? <ErrorMessage error={statements.error} title="The statements could not be loaded" /> : null}
          <DataTable
            data={rows}
            columns={statementColumns}
            caption={`Statements of ${day}`}
            hiddenCaption
            testId="statements"
            rowId={(row) => row.currency}
            empty={!ready ? 'Choose a participant.' : statements.loading ? 'Loading…' : statements.error ? 'No statements to show.' : NO_STATEMENT}
          />
        </>
      )}
    </section>
  );
}

/** Balances per currency, the postings of one, the balance over time, and the end-of-day statements. The operator picks a participant. */
export function LiquidityPage() {
  const { api, session } = useConsole();
  const operator = session.role === Role.operator;
  const [participant, setParticipant] = useState('');
  const [currency, setCurrency] = useState('');
  const [refresh, setRefresh] = useState(0);

  const entities = useLoad(() => (operator ? api.get<{ items: EntityView[] }>('/v1/admin/entities?limit=200') : Promise.resolve({ items: [] as EntityView[] })), [api, operator]);
  useEffect(() => {
    if (operator && !participant && entities.data?.items.length) setParticipant(entities.data.items[0].entityId);
  }, [operator, participant, entities.data]);

  // The operator reads any participant's books through the admin API; a participant reads its own.
  const base = operator ? (participant ? `/v1/admin/entities/${encodeURIComponent(participant)}/liquidity` : undefined) : '/v1/liquidity';
  const balances = useLoad(() => (base ? api.get<{ entityId: string; balances: BalanceView[] }>(base) : Promise.resolve(undefined)), [api, base]);
  const currencies = useMemo(() => balances.data?.balances.map((balance) => balance.currency) ?? [], [balances.data]);
  useEffect(() => {
    if (currencies.length && !currencies.includes(currency)) setCurrency(currencies[0]);
  }, [currencies, currency]);
  const postings = useLoad(
    () => (base && currency ? api.get<{ items: PostingView[] }>(`${base}/postings?currency=${encodeURIComponent(currency)}`) : Promise.resolve({ items: [] as PostingView[] })),
    [api, base, currency, balances.data],
  );

  const balance = balances.data?.balances.find((item) => item.currency === currency);
  const exponent = exponentOf(currency) ?? 2;
  const points = useMemo(() => {
    if (!balance || !postings.data) return [];
    try {
      return balanceHistory(balance.amount, currency, postings.data.items);
    } catch {
      return [];
    }
  }, [balance, currency, postings.data]);
  const newestFirst = useMemo(() => [...(postings.data?.items ?? [])].sort((a, b) => b.timestamp.localeCompare(a.timestamp)), [postings.data]);

  return (
    <section>
      <PageHeading>Liquidity</PageHeading>
      <form className="filters" onSubmit={(event) => event.preventDefault()} aria-label="Choose the books">
        {operator ? (
          <div className="field">
            <label htmlFor="liquidity-participant">Participant</label>
            <select id="liquidity-participant" value={participant} onChange={(event) => setParticipant(event.target.value)}>
              {(entities.data?.items ?? []).map((entity) => (
                <option key={entity.entityId} value={entity.entityId}>
                  {entity.name} ({entity.entityId})
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="liquidity-currency">Currency</label>
          <select id="liquidity-currency" value={currency} onChange={(event) => setCurrency(event.target.value)}>
            {currencies.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              balances.reload();
              setRefresh((value) => value + 1);
            }}
          >
            Refresh
          </button>
        </div>
      </form>
      {entities.error ? <ErrorMessage error={entities.error} title="The participants could not be listed" /> : null}
      {balances.error ? <ErrorMessage error={balances.error} title="The balances could not be loaded" /> : null}
      <h2>Balances{balances.data ? <span className="muted"> of {balances.data.entityId}</span> : null}</h2>
      <DataTable data={balances.data?.balances ?? []} columns={balanceColumns} caption="Balance per currency" hiddenCaption testId="balances" rowId={(row) => row.currency} empty={balances.loading ? 'Loading…' : 'No balance.'} />
      {currency ? (
        <>
          <h2>{currency} over time</h2>
          {points.length ? <BalanceChart points={points} currency={currency} exponent={exponent} /> : <p>No postings in {currency} yet.</p>}
          <h2>{currency} postings</h2>
          {postings.error ? <ErrorMessage error={postings.error} title="The postings could not be loaded" /> : null}
          <DataTable data={newestFirst} columns={postingColumns} caption={`${currency} postings, newest first`} hiddenCaption testId="postings" rowId={(row) => `${row.reference}#${row.leg}#${row.timestamp}`} empty={postings.loading ? 'Loading…' : 'No postings.'} />
        </>
      ) : null}
      <Statements operator={operator} participant={participant} refresh={refresh} />
    </section>
  );
}
