/** `--input` as a file or a directory tree: which CSV files to replay and where each one's output goes. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface ReplayJob {
  readonly input: string;
  readonly output: string;
  /** Path relative to `--input` (for messages). */
  readonly relative: string;
}

const isCsv = (name: string) => /\.csv$/i.test(name) && !/\.alerts\.csv$/i.test(name);

/**
 * A file: one job (an `--output` that is a directory or ends with a separator gets the input's name).
 * A directory: every `*.csv` under it, recursively and in a stable order, to the same relative path under
 * `--output` (outputs and alert files, and anything under `--output` when it lies inside `--input`, skipped).
 */
export async function planReplay(input: string, output: string): Promise<ReplayJob[]> {
  const info = await stat(input).catch(() => undefined);
  if (!info) throw new Error(`--input ${input}: no such file or directory`);
  if (info.isFile()) {
    const outInfo = await stat(output).catch(() => undefined);
    const toDir = outInfo?.isDirectory() === true || /[\\/]$/.test(output);
    return [
      { input, output: toDir ? path.join(output, path.basename(input)) : output, relative: path.basename(input) },
    ];
  }
  const root = path.resolve(input);
  const outRoot = path.resolve(output);
  const jobs: ReplayJob[] = [];
  const walk = async (dir: string): Promise<void> => {
    if (dir === outRoot) return;
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && isCsv(entry.name)) {
        const relative = path.relative(root, full);
        jobs.push({ input: full, output: path.join(outRoot, relative), relative });
      }
    }
  };
  await walk(root);
  return jobs;
}
