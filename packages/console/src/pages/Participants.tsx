import { createColumnHelper } from '@tanstack/react-table';
import { useState, type FormEvent } from 'react';
import { ErrorMessage, PageHeading } from '../components/common';
import { DataTable } from '../components/DataTable';
import { useConsole, useLoad } from '../context';

interface EntityView {
  readonly entityId: string;
  readonly name: string;
  readonly bic: string;
  readonly bics: readonly string[];
  readonly accounts: readonly string[];
  /** Message types it is notified of its postings with (camt.054); empty when off. */
  readonly notifications?: readonly string[];
  readonly status: 'ACTIVE' | 'SUSPENDED';
  readonly version: number;
}

function Field({ id, label, value, onChange, required, placeholder, type }: { id: string; label: string; value: string; onChange: (value: string) => void; required?: boolean; placeholder?: string; type?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type={type ?? 'text'} value={value} required={required} placeholder={placeholder} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}

/** The participants: list, create, suspend and reinstate, liquidity and low-balance thresholds. */
export function ParticipantsPage() {
  const { api, announce } = useConsole();
  const entities = useLoad(() => api.get<{ items: EntityView[] }>('/v1/admin/entities?limit=200'), [api]);
  const [failure, setFailure] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [created, setCreated] = useState({ entityId: '', name: '', bic: '', accounts: '' });
  const [movement, setMovement] = useState({ entityId: '', type: 'top-up', amount: '', currency: 'EUR', reference: '' });
  const [threshold, setThreshold] = useState({ entityId: '', currency: 'EUR', amount: '' });

  const act = async (what: () => Promise<unknown>, message: string) => {
    try {
      await what();
      setFailure(undefined);
      setDone(message);
      announce(message);
      entities.reload();
    } catch (error) {
      setDone(undefined);
      setFailure(error);
    }
  };

  const setStatus = (entity: EntityView, to: 'suspend' | 'reinstate') =>
    act(
      () => api.json('POST', `/v1/admin/entities/${encodeURIComponent(entity.entityId)}/${to}`, undefined, { 'if-match': `"${entity.version}"` }),
      `${entity.name} (${entity.entityId}) is ${to === 'suspend' ? 'suspended' : 'active again'}.`,
    );

  const column = createColumnHelper<EntityView>();
  const columns = [
      column.accessor('entityId', { header: 'Entity', cell: (info) => <code>{info.getValue()}</code> }),
      column.accessor('name', { header: 'Name' }),
      column.accessor('bic', { header: 'BIC', cell: (info) => <code>{info.getValue()}</code> }),
      column.accessor((row) => row.accounts.join(', '), { id: 'accounts', header: 'Accounts', cell: (info) => <span className="mono small">{info.getValue() || '—'}</span> }),
      column.accessor((row) => (row.notifications ?? []).join(', '), { id: 'notifications', header: 'Notified of postings', cell: (info) => <span className="mono small">{info.getValue() || '—'}</span> }),
      column.accessor('status', { header: 'Status', cell: (info) => <span className={`badge badge-${info.getValue().toLowerCase()}`} data-testid="entity-status">{info.getValue()}</span> }),
      column.display({
        id: 'actions',
        header: 'Actions',
        cell: (info) => {
          const entity = info.row.original;
          return entity.status === 'ACTIVE' ? (
            <button type="button" onClick={() => void setStatus(entity, 'suspend')} data-testid={`suspend-${entity.entityId}`}>
              Suspend<span className="visually-hidden"> {entity.name}</span>
            </button>
          ) : (
            <button type="button" onClick={() => void setStatus(entity, 'reinstate')} data-testid={`reinstate-${entity.entityId}`}>
              Reinstate<span className="visually-hidden"> {entity.name}</span>
            </button>
          );
        },
      }),
  ];

  const items = entities.data?.items ?? [];
  const entityOptions = items.map((entity) => (
    <option key={entity.entityId} value={entity.entityId}>
      {entity.name} ({entity.entityId})
    </option>
  ));

  const create = (event: FormEvent) => {
    event.preventDefault();
    const accounts = created.accounts.split(/[,\s]+/).filter(Boolean);
    void act(
      () => api.json('POST', '/v1/admin/entities', { entityId: created.entityId.trim(), name: created.name.trim(), bic: created.bic.trim(), ...(accounts.length ? { accounts } : {}) }),
      `Participant ${created.entityId} created.`,
    ).then(() => setCreated({ entityId: '', name: '', bic: '', accounts: '' }));
  };
  const move = (event: FormEvent) => {
    event.preventDefault();
    const entityId = movement.entityId || items[0]?.entityId;
    const reference = movement.reference.trim() || `console-${crypto.randomUUID()}`;
    void act(
      () => api.json('POST', `/v1/admin/entities/${encodeURIComponent(entityId)}/liquidity`, { type: movement.type, amount: movement.amount.trim(), currency: movement.currency.trim().toUpperCase(), reference }),
      `${movement.type === 'top-up' ? 'Top-up' : 'Withdrawal'} of ${movement.amount} ${movement.currency} for ${entityId} posted (reference ${reference}).`,
    );
  };
  const setLimit = (event: FormEvent) => {
    event.preventDefault();
    const entityId = threshold.entityId || items[0]?.entityId;
    void act(
      () => api.json('PUT', `/v1/admin/entities/${encodeURIComponent(entityId)}/thresholds/${encodeURIComponent(threshold.currency.trim().toUpperCase())}`, { amount: threshold.amount.trim() }),
      `The ${threshold.currency} low-balance threshold of ${entityId} is ${threshold.amount}.`,
    );
  };
  const removeLimit = () => {
    const entityId = threshold.entityId || items[0]?.entityId;
    void act(() => api.json('DELETE', `/v1/admin/entities/${encodeURIComponent(entityId)}/thresholds/${encodeURIComponent(threshold.currency.trim().toUpperCase())}`), `The ${threshold.currency} threshold of ${entityId} is removed.`);
  };

  return (
    <section>
      <PageHeading>Participants</PageHeading>
      {entities.error ? <ErrorMessage error={entities.error} title="The participants could not be listed" /> : null}
      {failure ? <ErrorMessage error={failure} title="That did not work" /> : null}
      {done ? (
        <p className="done" role="status">
          {done}
        </p>
      ) : null}
      <DataTable data={items} columns={columns} caption="Participants" hiddenCaption testId="participants" rowId={(row) => row.entityId} empty={entities.loading ? 'Loading…' : 'No participants.'} />

      <div className="forms">
        <form onSubmit={create} aria-labelledby="create-title" className="card">
          <h2 id="create-title">New participant</h2>
          <Field id="create-entity" label="Entity id" required value={created.entityId} onChange={(entityId) => setCreated({ ...created, entityId })} placeholder="ent-delta" />
          <Field id="create-name" label="Name" required value={created.name} onChange={(name) => setCreated({ ...created, name })} />
          <Field id="create-bic" label="BIC" required value={created.bic} onChange={(bic) => setCreated({ ...created, bic })} placeholder="DELTDEFFXXX" />
          <Field id="create-accounts" label="Accounts (IBANs, comma-separated)" value={created.accounts} onChange={(accounts) => setCreated({ ...created, accounts })} />
          <button type="submit" className="primary">
            Create participant
          </button>
        </form>

        <form onSubmit={move} aria-labelledby="liquidity-title" className="card">
          <h2 id="liquidity-title">Top up or withdraw</h2>
          <div className="field">
            <label htmlFor="move-entity">Participant</label>
            <select id="move-entity" value={movement.entityId || items[0]?.entityId || ''} onChange={(event) => setMovement({ ...movement, entityId: event.target.value })}>
              {entityOptions}
            </select>
          </div>
          <fieldset>
            <legend>Operation</legend>
            <label className="inline">
              <input type="radio" name="move-type" value="top-up" checked={movement.type === 'top-up'} onChange={() => setMovement({ ...movement, type: 'top-up' })} /> Top-up
            </label>
            <label className="inline">
              <input type="radio" name="move-type" value="withdrawal" checked={movement.type === 'withdrawal'} onChange={() => setMovement({ ...movement, type: 'withdrawal' })} /> Withdrawal
            </label>
          </fieldset>
          <Field id="move-amount" label="Amount (decimal, e.g. 1000.00)" required value={movement.amount} onChange={(amount) => setMovement({ ...movement, amount })} />
          <Field id="move-currency" label="Currency" required value={movement.currency} onChange={(currency) => setMovement({ ...movement, currency })} />
          <Field id="move-reference" label="Reference (makes it idempotent; generated when empty)" value={movement.reference} onChange={(reference) => setMovement({ ...movement, reference })} />
          <button type="submit" className="primary">
            Post
          </button>
        </form>

        <form onSubmit={setLimit} aria-labelledby="threshold-title" className="card">
          <h2 id="threshold-title">Low-balance threshold</h2>
          <div className="field">
            <label htmlFor="threshold-entity">Participant</label>
            <select id="threshold-entity" value={threshold.entityId || items[0]?.entityId || ''} onChange={(event) => setThreshold({ ...threshold, entityId: event.target.value })}>
              {entityOptions}
            </select>
          </div>
          <Field id="threshold-currency" label="Currency" required value={threshold.currency} onChange={(currency) => setThreshold({ ...threshold, currency })} />
          <Field id="threshold-amount" label="Alert below (decimal)" value={threshold.amount} onChange={(amount) => setThreshold({ ...threshold, amount })} />
          <div className="actions">
            <button type="submit" className="primary">
              Set threshold
            </button>
            <button type="button" onClick={removeLimit}>
              Remove threshold
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
