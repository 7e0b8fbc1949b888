import { createColumnHelper } from '@tanstack/react-table';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Amount, ErrorMessage, PageHeading, StatusBadge } from '../components/common';
import { DataTable } from '../components/DataTable';
import { useConsole, useInterval, useLoad } from '../context';
import { Role } from '../lib/auth';
import { formatTimestamp } from '../lib/durations';
import { transactionQuery, withQuery, type TransactionFilters } from '../lib/query';
import { hrefOf } from '../lib/routes';
import { MESSAGE_TYPES, STATUSES } from '../lib/statuses';
import { mergeLatest, type TransactionPage, type TransactionSummary } from '../lib/transactions';

const PAGE_SIZE = 50;
const POLL_MS = 2000;

const column = createColumnHelper<TransactionSummary>();
const columns = [
  column.accessor('transactionId', {
    header: 'Transaction',
    cell: (info) => (
      <a href={hrefOf({ page: 'transaction', id: info.getValue() })} className="mono" data-testid="transaction-link">
        {info.getValue().slice(0, 8)}…<span className="visually-hidden">{info.getValue().slice(8)}</span>
      </a>
    ),
  }),
  column.accessor('status', {
    header: 'Status',
    cell: (info) => <StatusBadge status={info.getValue()} answer={info.row.original.answer} messageType={info.row.original.messageType} />,
  }),
  column.accessor((row) => row.messageType ?? '', { id: 'type', header: 'Type' }),
  column.accessor((row) => row.parties.sender ?? '', { id: 'sender', header: 'Sender' }),
  column.accessor((row) => row.parties.receiver ?? '', { id: 'receiver', header: 'Receiver' }),
  column.accessor((row) => row.amount, {
    id: 'amount',
    header: 'Amount',
    enableSorting: false,
    cell: (info) => {
      const amount = info.getValue();
      return amount ? <Amount value={amount.value} currency={amount.currency} /> : '—';
    },
  }),
  column.accessor((row) => row.reasonCode ?? '', { id: 'reason', header: 'Reason' }),
  column.accessor('createdAt', { header: 'Created (UTC)', cell: (info) => <time dateTime={info.getValue()}>{formatTimestamp(info.getValue())}</time> }),
  column.accessor('updatedAt', { header: 'Updated (UTC)', cell: (info) => <time dateTime={info.getValue()}>{formatTimestamp(info.getValue())}</time> }),
];

const FIELDS: { name: keyof TransactionFilters; label: string; operatorOnly?: boolean; type?: string; list?: string }[] = [
  { name: 'type', label: 'Message type', list: 'message-types' },
  { name: 'counterparty', label: 'Counterparty (entity id)', list: 'entity-ids' },
  { name: 'participant', label: 'Participant (entity id)', operatorOnly: true, list: 'entity-ids' },
  { name: 'from', label: 'Created from (UTC)', type: 'datetime-local' },
  { name: 'to', label: 'Created before (UTC)', type: 'datetime-local' },
  { name: 'msgId', label: 'MsgId' },
  { name: 'endToEndId', label: 'EndToEndId' },
  { name: 'uetr', label: 'UETR' },
];

/** The transactions list: filters, cursor pages, and new transactions as they come. */
export function TransactionsPage() {
  const { api, session, announce } = useConsole();
  const operator = session.role === Role.operator;
  const [draft, setDraft] = useState<TransactionFilters>({});
  const [filters, setFilters] = useState<TransactionFilters>({});
  const [items, setItems] = useState<TransactionSummary[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [live, setLive] = useState(true);
  const generation = useRef(0);
  // The operator may list the participants, to offer their ids in the filters.
  const entities = useLoad(() => (operator ? api.get<{ items: { entityId: string; name: string }[] }>('/v1/admin/entities?limit=200') : Promise.resolve({ items: [] })), [api, operator]);
  const shownRef = useRef(items);
  shownRef.current = items;

  const first = useCallback(
    (applied: TransactionFilters) => api.get<TransactionPage>(withQuery('/v1/transactions', transactionQuery(applied, { limit: PAGE_SIZE }))),
    [api],
  );

  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    first(filters).then(
      (page) => {
        if (mine !== generation.current) return;
        setItems([...page.items]);
        setCursor(page.cursor);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (mine !== generation.current) return;
        setError(failure);
        setLoading(false);
      },
    );
  }, [filters, first]);

  useInterval(
    () => {
      const mine = generation.current;
      first(filters).then(
        (page) => {
          if (mine !== generation.current) return;
          const merged = mergeLatest(shownRef.current, page.items);
          setItems(merged.items);
          if (merged.added.length) announce(`${merged.added.length} new transaction${merged.added.length === 1 ? '' : 's'}`);
          setError(undefined);
        },
        (failure: unknown) => mine === generation.current && setError(failure),
      );
    },
    live && !loading ? POLL_MS : undefined,
  );

  const more = async () => {
    if (!cursor) return;
    const mine = generation.current;
    try {
      const page = await api.get<TransactionPage>(withQuery('/v1/transactions', transactionQuery(filters, { limit: PAGE_SIZE, cursor })));
      if (mine !== generation.current) return;
      setItems((shown) => mergeLatest(shown, page.items).items);
      setCursor(page.cursor);
    } catch (failure) {
      setError(failure);
    }
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ ...draft });
  };
  const clear = () => {
    setDraft({});
    setFilters({});
  };

  return (
    <section>
      <PageHeading>Transactions</PageHeading>
      <form className="filters" onSubmit={apply} aria-label="Filter transactions">
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" value={draft.status ?? ''} onChange={(event) => setDraft({ ...draft, status: event.target.value })}>
            <option value="">Any</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </div>
        {FIELDS.filter((field) => operator || !field.operatorOnly).map((field) => (
          <div className="field" key={field.name}>
            <label htmlFor={`filter-${field.name}`}>{field.label}</label>
            <input
              id={`filter-${field.name}`}
              type={field.type ?? 'text'}
              step={field.type === 'datetime-local' ? 1 : undefined}
              list={field.list}
              value={draft[field.name] ?? ''}
              onChange={(event) => setDraft({ ...draft, [field.name]: event.target.value })}
            />
          </div>
        ))}
        <datalist id="entity-ids">
          {(entities.data?.items ?? []).map((entity) => (
            <option key={entity.entityId} value={entity.entityId}>
              {entity.name}
            </option>
          ))}
        </datalist>
        <datalist id="message-types">
          {MESSAGE_TYPES.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        <div className="actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button type="button" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
      <div className="toolbar">
        <label className="inline">
          <input type="checkbox" checked={live} onChange={(event) => setLive(event.target.checked)} /> Show new transactions as they arrive
        </label>
        <span aria-live="polite">{loading ? 'Loading…' : `${items.length} shown`}</span>
      </div>
      {error ? <ErrorMessage error={error} title="The transactions could not be loaded" /> : null}
      <DataTable data={items} columns={columns} caption="Transactions, newest first" hiddenCaption testId="transactions" rowId={(row) => row.transactionId} empty={loading ? 'Loading…' : 'No transactions match.'} />
      {cursor ? (
        <button type="button" onClick={() => void more()} data-testid="load-more">
          Load more
        </button>
      ) : null}
    </section>
  );
}
