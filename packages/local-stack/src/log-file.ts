import { createWriteStream, mkdirSync, renameSync, type WriteStream } from 'node:fs';
import path from 'node:path';

/** A log file that lines are appended to, kept under a size: when full, it becomes `<file>.1` and a new one starts. */
export interface LogFile {
  readonly file: string;
  write(line: string): void;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/**
 * Opens `file` for appending lines (emptied first, unless `append`). Each
 * run's log starts afresh; the previous run's stays as `<file>.1` when it
 * was rotated, else it is overwritten.
 */
export function openLogFile(file: string, maxBytes = 20 * 1024 * 1024): LogFile {
  mkdirSync(path.dirname(file), { recursive: true });
  let stream: WriteStream = createWriteStream(file, { flags: 'w' });
  let written = 0;
  let closed = false;
  return {
    file,
    write(line) {
      // A line that comes in while everything stops has nowhere to go.
      if (closed) return;
      const text = line.endsWith('\n') ? line : `${line}\n`;
      if (written + text.length > maxBytes && written > 0) {
        stream.end();
        renameSync(file, `${file}.1`);
        stream = createWriteStream(file, { flags: 'w' });
        written = 0;
      }
      written += text.length;
      stream.write(text);
    },
    close: () => {
      closed = true;
      return new Promise<void>((resolve) => stream.end(resolve));
    },
  };
}
