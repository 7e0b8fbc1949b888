import fs from 'node:fs';

/** Writes `content` to `file` and fsyncs it before returning. */
export function writeSynced(file: string, content: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
