import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../sim/pwa/server.js';
import { inputsOf, type Card, type Journey } from '../support/journey.js';

/** What a user submits when they change nothing: every input's preset value. */
export function presets(card: Card): Record<string, string> {
  const out: Record<string, string> = {};
  for (const input of inputsOf(card)) if (typeof input.id === 'string' && input.value !== undefined) out[input.id] = String(input.value);
  return out;
}

/** Connects both simulators the way a user would. */
export async function connectBoth(j: Journey): Promise<void> {
  const ado = await j.say('connect ado');
  await j.click(ado.card, 'Connect', { url: j.ado.url, pat: ADO_DEMO_PATS.fullAccess, name: 'Contoso ADO' });
  const pwa = await j.say('connect pwa');
  await j.click(pwa.card, 'Connect', { url: j.pwa.url, method: 'onprem', username: PWA_DEMO_CREDENTIALS.username, secret: PWA_DEMO_CREDENTIALS.password, name: 'Contoso PWA' });
}

/** "link project Apollo to ADO project Phoenix", then accept every default. */
export async function linkWithDefaults(j: Journey, command = 'link project Apollo to ADO project Phoenix', changes: Record<string, string> = {}): Promise<Card> {
  const { card } = await j.say(command);
  const reply = await j.click(card, 'Create integration', { ...presets(card), ...changes });
  if (!reply.card) throw new Error(`link failed: ${reply.message}`);
  return reply.card;
}
