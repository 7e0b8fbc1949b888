import { createColumnHelper } from '@tanstack/react-table';
import { Fragment, useMemo, useState } from 'react';
import { ErrorMessage, PageHeading } from '../components/common';
import { DataTable } from '../components/DataTable';
import { useConsole, useLoad } from '../context';

/** One thing that does not add up, as `GET /v1/admin/reconciliation` names it. */
interface MismatchView {
  readonly check: string;
  readonly subject: string;
  readonly expected: string;
  readonly actual: string;
  readonly detail: string;
}

interface ReconciliationView {
  readonly balanced: boolean;
  readonly date: string;
  readonly checked: Readonly<Record<string, number>>;
  readonly totals: readonly { readonly currency: string; readonly transfers: string; readonly external: string }[];
  readonly notes: readonly string[];
  readonly mismatches: readonly MismatchView[];
}

/** What each count of `checked` is, for people. */
const COUNTS: readonly (readonly [string, string])[] = [
  ['balances', 'Balances'],
  ['postings', 'Postings of the day'],
  ['transfers', 'Settled payments'],
  ['returns', 'Settled returns'],
  ['currencies', 'Currencies'],
  ['archivedMessages', 'Archived messages'],
  ['archiveDigests', '… with their SHA-256 compared'],
  ['archiveExistenceOnly', '… checked for existence only'],
];

/** Today, the UTC day. */
const today = (): string => new Date().toISOString().slice(0, 10);

/** The reconciliation of a UTC day (platform operator only): whether the books add up, and every mismatch. */
export function ReconciliationPage() {
  const { api } = useConsole();
  const [date, setDate] = useState(today);
  const result = useLoad(() => api.get<ReconciliationView>(`/v1/admin/reconciliation?${new URLSearchParams({ date })}`), [api, date]);
  const data = result.data;

  const columns = useMemo(() => {
    const column = createColumnHelper<MismatchView>();
    return [
      column.accessor('check', { header: 'Check', cell: (info) => <code>{info.getValue()}</code> }),
      column.accessor('subject', { header: 'Subject', cell: (info) => <span className="mono wrap">{info.getValue()}</span> }),
      column.accessor('expected', { header: 'Expected', cell: (info) => <span className="wrap">{info.getValue()}</span> }),
      column.accessor('actual', { header: 'Actual', cell: (info) => <span className="wrap">{info.getValue()}</span> }),
      column.accessor('detail', { header: 'Detail', cell: (info) => <span className="wrap">{info.getValue()}</span> }),
    ];
  }, []);

  return (
    <section>
      <PageHeading>Reconciliation</PageHeading>
      <p>
        Whether the books of a UTC day add up: every balance equals its postings, every settled payment and return has exactly its two postings, no transfer posting belongs to
        nothing, each currency&apos;s transfers sum to zero, and every archived message is there with the digest its step recorded.
      </p>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          result.reload();
        }}
      >
        <label>
          Day (UTC){' '}
          <input type="date" value={date} max={today()} required onChange={(event) => event.target.value && setDate(event.target.value)} data-testid="reconciliation-date" />
        </label>{' '}
        <button type="submit">Check again</button>
      </form>
      {result.error ? <ErrorMessage error={result.error} title="The reconciliation could not run" /> : null}
      {result.loading && !data ? <p>Checking…</p> : null}
      {data ? (
        <>
          <p data-testid="reconciliation-verdict" role="status">
            {data.balanced ? (
              <span className="ok">{data.date}: the books add up.</span>
            ) : (
              <strong className="bad">
                {data.date}: {data.mismatches.length} mismatch{data.mismatches.length === 1 ? '' : 'es'}.
              </strong>
            )}
          </p>
          <dl className="facts">
            {COUNTS.map(([key, label]) => (
              <Fragment key={key}>
                <dt>{label}</dt>
                <dd>{data.checked[key] ?? 0}</dd>
              </Fragment>
            ))}
          </dl>
          {data.notes.map((note) => (
            <p key={note}>{note}</p>
          ))}
          {data.totals.length ? (
            <table>
              <caption>The day&apos;s movements per currency: transfers (zero when nothing is made or lost) and operations (openings, top-ups, withdrawals)</caption>
              <thead>
                <tr>
                  <th scope="col">Currency</th>
                  <th scope="col">Transfers</th>
                  <th scope="col">Operations</th>
                </tr>
              </thead>
              <tbody>
                {data.totals.map((total) => (
                  <tr key={total.currency}>
                    <th scope="row">{total.currency}</th>
                    <td className="amount">{total.transfers}</td>
                    <td className="amount">{total.external}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <h2>Mismatches</h2>
          <DataTable data={data.mismatches} columns={columns} caption="Mismatches" hiddenCaption testId="mismatches" rowId={(row) => `${row.check}:${row.subject}`} empty="None: everything adds up." />
        </>
      ) : null}
    </section>
  );
}
