import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useConsole } from '../context';
import { fileNameOf } from '../lib/download';
import { ErrorMessage } from './common';

/** An object URL of `bytes` for an `<a download>`, revoked when the bytes change or the component goes. */
export function useObjectUrl(bytes: ArrayBuffer | undefined, type = 'application/xml'): string | undefined {
  const url = useMemo(() => (bytes ? URL.createObjectURL(new Blob([bytes], { type })) : undefined), [bytes, type]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}

/** Saves `bytes` as a file named `name`, as a click on an `<a download>` would. */
export function saveBytes(bytes: ArrayBuffer, name: string, type = 'application/xml'): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The browser reads the blob once the click has been handled.
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

/**
 * A button that fetches the exact bytes at `path` with the session's token,
 * and saves them under the name the API gives (`Content-Disposition`), else
 * `fallbackName`. A failure is shown beside it.
 */
export function DownloadButton({ path, fallbackName, accept = 'application/xml', testId, children }: { path: string; fallbackName: string; accept?: string; testId?: string; children: ReactNode }) {
  const { api, announce } = useConsole();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.bytes(path, accept);
      const name = fileNameOf(answer.headers.get('content-disposition'), fallbackName);
      saveBytes(answer.bytes, name, answer.headers.get('content-type') ?? accept);
      announce(`Downloaded ${name}`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" onClick={() => void download()} disabled={busy} aria-busy={busy} data-testid={testId}>
        {children}
      </button>
      {error ? <ErrorMessage error={error} title="The download failed" /> : null}
    </>
  );
}
