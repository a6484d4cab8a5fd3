import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { cardActionActivity, messageActivity } from '../support/activities.js';
import { useLocalBot } from '../support/local-bot.js';

const PAT = 'k3xq7m2vplw4nz5rgt6yabc2defg3hijk4lmno5pqrs6tuvw7xyz';
const PASSWORD = 'Correct-Horse-Battery-Staple-42';
const TOKEN = 'tok-5f0c9a1e7d3b4c2a8e6f';
const DEEP = 'deeply-nested-credential-value';

describe('secrets never reach logs', () => {
  it('keys that name a credential are redacted at any depth, in arrays too', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: new Writable({ write(c: Buffer, _e, done) { lines.push(c.toString()); done(); } }) });
    logger.debug({
      a: { b: { c: { d: { password: PASSWORD } } } },
      list: [{ token: TOKEN }, { nested: [{ adoPat: PAT }] }],
      connection: { clientSecret: DEEP, 'x-api-key': DEEP, refresh_token: DEEP },
      safe: { name: 'Apollo', tokenExpiresAt: '2026-01-01', hasToken: true },
    }, 'nested');
    const out = lines.join('');
    for (const secret of [PASSWORD, TOKEN, PAT, DEEP]) expect(out).not.toContain(secret);
    expect(JSON.parse(lines[0]!)).toMatchObject({ safe: { name: 'Apollo', tokenExpiresAt: '2026-01-01', hasToken: true } });
  });

  describe('the SDK\'s "Handling activity" line at LOG_LEVEL=debug', () => {
    const world = useLocalBot({ LOG_LEVEL: 'debug' });

    it('logs neither chat text, Action.Submit values nor card inputs, at any depth', async () => {
      const serviceUrl = world.connector.url;
      const posts = [
        messageActivity(`deploy ${PAT} please`, { serviceUrl }),
        { ...messageActivity('', { serviceUrl }), text: undefined, value: { pat: PAT, password: PASSWORD, token: TOKEN, form: { connection: { secret: DEEP } } } },
        { ...messageActivity(`<p>deploy ${PAT}</p>`, { serviceUrl }), attachments: [{ contentType: 'text/html', content: `<p>deploy ${PAT}</p>` }] },
        cardActionActivity('conn.secret', { connectionId: 'c1', newSecret: PAT, extra: { inner: { password: PASSWORD } } }, { serviceUrl }),
      ];
      for (const activity of posts) expect((await world.bot.post(activity)).status).toBeLessThan(500);
      const logs = world.bot.logText();
      expect(logs).toContain('Handling activity');
      for (const secret of [PAT, PASSWORD, TOKEN, DEEP]) expect(logs).not.toContain(secret);
      // What helps debugging stays: the type and the verb.
      expect(logs).toContain('conn.secret');
    });
  });
});
