/**
 * Append to a file the way several processes can share one (GitHub's `$GITHUB_STEP_SUMMARY`,
 * eight parallel `check --summary` runs): opened O_APPEND, the whole text in one write(2), so
 * every append lands whole at the end whatever the others do, and nothing already in the file is
 * read or rewritten (bytes that are not UTF-8 stay as they are). A short write or any error —
 * `/dev/full`, a directory, no permission — is a failure, reported as false, never retried.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** Append `text` (UTF-8) to `path` in one O_APPEND write; false when it could not be written whole. */
export function appendOnce(path: string, text: string): boolean {
  const bytes = Buffer.from(text, 'utf8');
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch {
    return false;
  }
  try {
    return writeSync(fd, bytes, 0, bytes.length) === bytes.length;
  } catch {
    return false;
  } finally {
    try {
      closeSync(fd);
    } catch {
      // the write's result stands; a failing close of an append-only descriptor loses nothing more
    }
  }
}
