// `normscope merge SHARD-DIR... --out-dir MERGED` and `normscope merge --check SHARD-DIR...`: the last step of a
// cluster run (README "Cluster"). Exit 0 merged (or every shard complete), 1 shards missing or incomplete, 2 bad usage
// or shards that do not belong together.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { NormscopeError } from '../errors.js';
import { withErrorPolicy } from '../errorPolicy.js';
import { ProgressLine } from '../terminal/progress-line.js';
import { parseCommandArgs } from './args.js';
import { COMMAND_SPECS } from './commandSpecs.js';

const USAGE = `usage: normscope merge [--partial] [--shards N] [--quiet] SHARD-DIR... --out-dir MERGED
       normscope merge --check [--shards N] SHARD-DIR...
  SHARD-DIR   results folders of \`normscope analyze --shard i/N --out-dir SHARD-DIR\` (a quoted glob works too)
  --out-dir   the merged results folder: the files one machine's run writes (created if missing; rerunning adds
              only what is new, and changes nothing when there is nothing new)
  --check     only list the shards that are missing or incomplete (exit 1 if any), for a final job before it merges
  --shards N  the number of shards expected (default: what the shards' shard.json say)
  --partial   merge even though shards are missing or incomplete (merge again later to add the rest)
  --quiet     no progress or notes on stderr
`;

export function mergeCommand(argv: string[]): Promise<number> {
  return withErrorPolicy('merge', () => runMerge(argv));
}

async function runMerge(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, COMMAND_SPECS.merge.options);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const usage = (message: string) => new NormscopeError('BAD_USAGE', message);
  const outDir = values['out-dir'];
  const shardsRaw = values.shards;
  if (shardsRaw !== undefined && !/^\s*\d+\s*$/.test(shardsRaw)) throw usage(`--shards must be a whole number ≥ 1, got '${shardsRaw}'`);
  const shards = shardsRaw === undefined ? undefined : Number(shardsRaw);
  if (shards === 0) throw usage('--shards must be a whole number ≥ 1, got 0');
  if (positionals.length === 0) throw usage('no SHARD-DIR given');
  if (values.check && (outDir !== undefined || values.partial)) throw usage('--check only reads the shards: it takes no --out-dir or --partial');
  if (!values.check && outDir === undefined) throw usage('--out-dir MERGED is required (or --check)');
  const note = (s: string) => {
    if (!values.quiet) process.stderr.write(`normscope merge: ${s}\n`);
  };

  const { checkShards, describeCheck, mergeShards } = await import('../corpus/cluster/merge.js');
  const dirs = await expandGlobs(positionals);
  if (values.check) {
    const check = await checkShards(dirs, shards !== undefined ? { shards } : {});
    const complete = check.shards.filter((s) => s.state === 'complete').length;
    process.stdout.write(`${complete} of ${check.count ?? '?'} shards complete\n`);
    for (const line of describeCheck(check)) process.stdout.write(`${line}\n`);
    return check.ok ? 0 : 1;
  }
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nnormscope merge: cancelling — what is merged so far is stored; run the same command again to resume\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const line = values.quiet ? null : new ProgressLine(process.stderr);
  try {
    const report = await mergeShards({
      shardDirs: dirs,
      outDir: outDir!,
      partial: values.partial === true,
      ...(shards !== undefined ? { shards } : {}),
      signal: controller.signal,
      onProgress: ({ done, total }) => line?.show(`${done}/${total} records copied`, done === total),
    });
    line?.end();
    if (!report.check.ok) for (const problem of describeCheck(report.check)) process.stderr.write(`normscope merge: --partial: ${problem}\n`);
    if (report.cancelled) {
      process.stderr.write('normscope merge: cancelled; run the same command again to resume\n');
      return 1;
    }
    if (!report.changed) note(`${outDir} already holds all ${report.documents} documents of ${dirs.length} shards; nothing changed`);
    else note(`${report.documents} documents from ${dirs.length} shards (${report.appended.results} results and ${report.appended.taps} taps added); wrote ${report.files.map((f) => path.basename(f)).join(', ')}`);
    return report.check.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

const GLOB = /[*?[]/;

/**
 * Arguments the shell left unexpanded (quoted, or a scheduler that passes them as is) expanded here: `*`, `?` and
 * `[…]` within path segments. By hand because Node 20 has no fs.glob and this is the one place that needs one.
 */
export async function expandGlobs(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    if (!GLOB.test(arg) || (await fsp.stat(arg).catch(() => null))) {
      out.push(arg);
      continue;
    }
    const absolute = path.isAbsolute(arg);
    const parts = arg.split(/[\\/]+/).filter((p, i) => p !== '' || i === 0);
    let found = [absolute ? path.sep : '.'];
    for (const part of absolute ? parts.slice(1) : parts) {
      if (!GLOB.test(part)) {
        found = found.map((f) => path.join(f, part));
        continue;
      }
      const re = segmentRegExp(part);
      const next: string[] = [];
      for (const dir of found) {
        const names = (await fsp.readdir(dir).catch(() => [] as string[])).filter((n) => re.test(n) && (!n.startsWith('.') || part.startsWith('.'))).sort();
        next.push(...names.map((n) => (dir === '.' && !absolute ? n : path.join(dir, n))));
      }
      found = next;
    }
    if (found.length === 0) throw new NormscopeError('BAD_USAGE', `${arg} matches no folder`);
    out.push(...found);
  }
  return out;
}

function segmentRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
