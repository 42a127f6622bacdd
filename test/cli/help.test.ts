// normscope --version, --help, help COMMAND and the completion scripts (bash's run in bash).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../electron/core/cli/commandSpecs.js';
import { normscope } from '../analysis/fixtures.js';

const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { version: string };

describe('normscope --version and help', () => {
  it('--version prints the package version', () => {
    for (const flag of ['--version', '-V']) expect(normscope([flag])).toMatchObject({ status: 0, stdout: `normscope ${pkg.version}\n`, stderr: '' });
  });

  it('--help lists every command with a line saying what it does', () => {
    const r = normscope(['--help']);
    expect(r.status).toBe(0);
    for (const name of COMMAND_NAMES) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S.{10,}$`, 'm'));
  });

  it('help COMMAND prints that command’s usage, as COMMAND --help does', () => {
    for (const name of ['analyze', 'models', 'export', 'merge', 'ols', 'providers']) {
      const help = normscope(['help', name]);
      expect(help.status, name).toBe(0);
      expect(help.stdout, name).toMatch(new RegExp(`usage: normscope ${name}`));
      expect(help.stdout).toBe(normscope([name, '--help']).stdout);
    }
    expect(normscope(['help', 'analyze']).stdout).toContain('--format    svg (default), png, or pdf');
  });

  it('an unknown command: the list of commands as what to do, exit 2', () => {
    expect(normscope(['analyse', 'a.txt'])).toMatchObject({
      status: 2,
      stdout: '',
      stderr: `normscope analyse: unknown command 'analyse'\n  what to do: the commands are ${COMMAND_NAMES.join(', ')} (normscope --help says what each does)\n`,
    });
    expect(normscope(['help', 'analyse']).status).toBe(2);
  });
});

describe('normscope completion', () => {
  const script = normscope(['completion', 'bash']).stdout;
  /** What bash's completion offers for the words typed so far (the last one being completed). */
  const complete = (...words: string[]): string[] => {
    const r = spawnSync('bash', ['--norc', '-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _normscope; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  };

  it('bash: commands, flags, flag values and verbs', () => {
    expect(complete('normscope', '')).toEqual([...COMMAND_NAMES, '--help', '--version']);
    expect(complete('normscope', 'an')).toEqual(['analyze']);
    expect(complete('normscope', 'analyze', '--co')).toEqual(['--combine', '--component', '--context', '--cov']);
    expect(complete('normscope', 'analyze', '--format', '')).toEqual(['svg', 'png', 'pdf']);
    expect(complete('normscope', 'analyze', '--theme', 'n')).toEqual(['notebook']);
    expect(complete('normscope', 'models', 'p')).toEqual(['pull']);
    expect(complete('normscope', 'completion', '')).toEqual(['bash', 'zsh']);
    expect(complete('normscope', 'help', 'pro')).toEqual(['providers']);
    expect(complete('normscope', 'providers', '--')).toEqual(['--help', '--json', '--model', '--recheck', '--verbose']);
  });

  it('zsh: a #compdef function that names every command and flag', () => {
    const zsh = normscope(['completion', 'zsh']);
    expect(zsh.status).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef normscope\n/);
    expect(zsh.stdout).toMatch(/\ncompdef _normscope normscope\n$/);
    for (const name of COMMAND_NAMES) expect(zsh.stdout).toMatch(new RegExp(`^    ${name}\\) _arguments `, 'm'));
    expect(zsh.stdout).toContain("'--format:value:(svg png pdf)'");
    expect(zsh.stdout).toContain("'--model:folder:_files -/'");
  });

  it('refuses another shell', () => {
    expect(normscope(['completion', 'fish'])).toMatchObject({ status: 2, stdout: '' });
  });
});
