import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { ConfirmDialog, ErrorMessage, PageHeading } from '../components/common';
import { DataTable } from '../components/DataTable';
import { useConsole, useLoad } from '../context';
import { formatTimestamp } from '../lib/durations';
import { hrefOf } from '../lib/routes';

interface DeadLetterView {
  readonly id: string;
  readonly consumer: string;
  readonly topic: string;
  readonly error: { readonly name: string; readonly message: string };
  readonly attempts: number;
  readonly failedAt: string;
  readonly transactionId?: string;
  readonly replayed: boolean;
  readonly replayedAt?: string;
}

/** The dead letters, with their errors, and a replay of each after a confirmation. */
export function DeadLettersPage() {
  const { api, announce } = useConsole();
  const letters = useLoad(() => api.get<{ items: DeadLetterView[] }>('/v1/admin/dead-letters?limit=200'), [api]);
  const [confirming, setConfirming] = useState<DeadLetterView>();
  const [failure, setFailure] = useState<unknown>();

  const replay = async () => {
    const letter = confirming;
    setConfirming(undefined);
    if (!letter) return;
    try {
      await api.json('POST', `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/replay`);
      setFailure(undefined);
      announce(`Dead letter ${letter.id} was put back on ${letter.topic}.`);
      letters.reload();
    } catch (error) {
      setFailure(error);
    }
  };

  const columns = useMemo(() => {
    const column = createColumnHelper<DeadLetterView>();
    return [
      column.accessor('failedAt', { header: 'Failed (UTC)', cell: (info) => <time dateTime={info.getValue()}>{formatTimestamp(info.getValue())}</time> }),
      column.accessor('consumer', { header: 'Consumer' }),
      column.accessor('topic', { header: 'Topic', cell: (info) => <code>{info.getValue()}</code> }),
      column.accessor((row) => `${row.error.name}: ${row.error.message}`, { id: 'error', header: 'Error', cell: (info) => <span className="wrap">{info.getValue()}</span> }),
      column.accessor('attempts', { header: 'Attempts' }),
      column.accessor((row) => row.transactionId ?? '', {
        id: 'transaction',
        header: 'Transaction',
        cell: (info) => (info.getValue() ? <a className="mono" href={hrefOf({ page: 'transaction', id: info.getValue() })}>{info.getValue().slice(0, 8)}…</a> : '—'),
      }),
      column.display({
        id: 'replay',
        header: 'Replay',
        cell: (info) =>
          info.row.original.replayed ? (
            <span>Replayed {info.row.original.replayedAt ? formatTimestamp(info.row.original.replayedAt) : ''}</span>
          ) : (
            <button type="button" onClick={() => setConfirming(info.row.original)} data-testid="replay">
              Replay<span className="visually-hidden"> {info.row.original.id}</span>
            </button>
          ),
      }),
    ];
  }, []);

  return (
    <section>
      <PageHeading>Dead letters</PageHeading>
      <p>Records a consumer gave up on. A replay puts the record back on its original topic, once.</p>
      {letters.error ? <ErrorMessage error={letters.error} title="The dead letters could not be listed" /> : null}
      {failure ? <ErrorMessage error={failure} title="The replay failed" /> : null}
      <DataTable data={letters.data?.items ?? []} columns={columns} caption="Dead letters" hiddenCaption testId="dead-letters" rowId={(row) => row.id} empty={letters.loading ? 'Loading…' : 'No dead letters.'} />
      <ConfirmDialog open={confirming !== undefined} title="Replay this dead letter?" confirmLabel="Replay" onConfirm={() => void replay()} onCancel={() => setConfirming(undefined)}>
        <p>
          The record <code>{confirming?.id}</code> goes back onto <code>{confirming?.topic}</code> and {confirming?.consumer} processes it again. A dead letter can be replayed only once.
        </p>
      </ConfirmDialog>
    </section>
  );
}
