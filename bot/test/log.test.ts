import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

describe('structured logging', () => {
  it('writes JSON lines and redacts credentials at any known position', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: new Writable({ write(c: Buffer, _e, done) { lines.push(c.toString()); done(); } }) });
    logger.info({
      pat: 'pat-1234567890', password: 'hunter2', connection: { secret: 's3cr3t', token: 'tok-abc' },
      headers: { authorization: 'Bearer eyJhbGciOi' }, clientSecret: 'cs-xyz', safe: 'visible',
    }, 'connection checked');
    const out = lines.join('');
    const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 'info', msg: 'connection checked', safe: 'visible', pat: '[redacted]' });
    for (const secret of ['pat-1234567890', 'hunter2', 's3cr3t', 'tok-abc', 'eyJhbGciOi', 'cs-xyz']) expect(out).not.toContain(secret);
  });
});
