/**
 * Replay / backtest: what the detection rules would have said about a history.
 *
 *   npm run replay -- --input PATH --output PATH [--profile FILE]
 *
 * The input is a CSV with a header `timestamp,value` (one series) or `timestamp,<metric>,<metric>...`, or a
 * directory of them (recursively, into the same relative paths under --output). Each output CSV keeps the
 * input columns and adds `anomaly_score` in [0, 1] for every row, from that row and the rows before it only;
 * `<name>.alerts.csv` beside it lists the alerts the rules would have raised. One set of parameters for every
 * file. Without a profile, catalog metrics (coating_thickness_um...) get their domain rules with the defaults
 * and any other series the generic statistical and change-point detectors.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_REPLAY_PROFILE, loadReplayProfile } from './replay-profile.js';
import { replayFile } from './replay-file.js';
import { planReplay } from './replay-tree.js';

const USAGE = 'usage: npm run replay -- --input PATH --output PATH [--profile FILE]';

export async function runReplayCli(
  argv: readonly string[],
  io: { out: (line: string) => void; err: (line: string) => void } = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
): Promise<number> {
  let values: {
    input?: string | undefined;
    output?: string | undefined;
    profile?: string | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.err(`replay: ${error instanceof Error ? error.message : String(error)}`);
    io.err(USAGE);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!values.input || !values.output) {
    io.err(`replay: ${values.input ? '--output' : '--input'} is required`);
    io.err(USAGE);
    return 2;
  }
  let failed = 0;
  try {
    const profile = values.profile ? await loadReplayProfile(values.profile) : DEFAULT_REPLAY_PROFILE;
    const jobs = await planReplay(values.input, values.output);
    if (jobs.length === 0) io.err(`replay: no .csv file under ${values.input}`);
    for (const job of jobs) {
      try {
        const result = await replayFile(job.input, job.output, profile, job.input);
        io.out(`${job.relative}: ${result.rows} rows, ${result.alerts} alerts -> ${result.output}`);
      } catch (error) {
        failed += 1;
        io.err(`replay: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } catch (error) {
    io.err(`replay: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  return failed > 0 ? 1 : 0;
}

// Run when executed as a script (not when imported by the tests).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runReplayCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`replay: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
