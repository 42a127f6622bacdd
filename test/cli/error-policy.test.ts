// The one error policy: every code has an exit status and a what-to-do line; a command's error prints as two lines.
import { describe, expect, it } from 'vitest';
import { NormscopeError } from '../../electron/core/errors.js';
import { ERROR_POLICY, errorHint, exitStatus, formatError, reportError } from '../../electron/core/errorPolicy.js';

describe('ERROR_POLICY', () => {
  it('gives every code an exit status of 1 or 2 and a hint of one line', () => {
    for (const [code, p] of Object.entries(ERROR_POLICY)) {
      expect([1, 2], code).toContain(p.exit);
      const hint = errorHint(new NormscopeError(code as never, 'x'), 'analyze');
      expect(hint.length, code).toBeGreaterThan(20);
      expect(hint, code).not.toMatch(/\n/);
    }
  });

  it('exit 2 for what must be fixed before a rerun, 1 for what a rerun may get past', () => {
    const two = ['BAD_USAGE', 'MODEL_NOT_FOUND', 'UNSUPPORTED_MODEL', 'MODEL_TOO_LARGE', 'TOO_LARGE', 'NOT_A_FILE', 'BAD_MODEL', 'NO_DOCUMENTS', 'PROVIDER_REFUSED'];
    const one = ['OFFLINE', 'HTTP_ERROR', 'DISK_FULL', 'WRITE_FAILED', 'DOWNLOAD_CANCELLED', 'CHECKSUM_MISMATCH', 'SHARDS_INCOMPLETE'];
    for (const code of two) expect(exitStatus(new NormscopeError(code as never, 'x')), code).toBe(2);
    for (const code of one) expect(exitStatus(new NormscopeError(code as never, 'x')), code).toBe(1);
  });
});

describe('reportError(command, e)', () => {
  const report = (e: unknown) => {
    let text = '';
    const status = reportError('analyze', e, { write: (s: string) => (text += s) });
    return { status, text };
  };

  it('a model too large for this machine: what happened, then what to do; exit 2', () => {
    expect(report(new NormscopeError('MODEL_TOO_LARGE', 'gpt2-xl needs 6.4 GB of memory and 3.1 GB are free'))).toEqual({
      status: 2,
      text:
        'normscope analyze: gpt2-xl needs 6.4 GB of memory and 3.1 GB are free\n' +
        '  what to do: choose a smaller model (`normscope models list`), or run on a machine with more memory\n',
    });
  });

  it('a file too large: exit 2', () => {
    expect(report(new NormscopeError('TOO_LARGE', 'big.txt is 3.2 GB, over the 2 GB a document may have'))).toEqual({
      status: 2,
      text: 'normscope analyze: big.txt is 3.2 GB, over the 2 GB a document may have\n  what to do: split it into smaller files, or leave it out\n',
    });
  });

  it('an error’s own hint wins over its code’s, and a message of several lines is said on one', () => {
    const e = new NormscopeError('BAD_INPUT', 'two\n   lines', { hint: 'do this' });
    expect(formatError(e, 'ols')).toBe('normscope ols: two lines\n  what to do: do this\n');
  });

  it('throws on anything that is not a NormscopeError (a bug keeps its stack trace)', () => {
    expect(() => report(new TypeError('boom'))).toThrow(TypeError);
  });
});
