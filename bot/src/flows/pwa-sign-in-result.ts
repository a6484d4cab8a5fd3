/**
 * Journey: the end of "Microsoft 365 sign-in" for PWA. The browser finishes on /auth/pwa/callback
 * (http/pwa-oauth-routes.ts); this posts the outcome to the chat where the sign-in started: on
 * success the same access checklist as the other methods (checked with the new token), on
 * failure what went wrong and how to start again.
 */
import type { ConversationReference } from '@microsoft/teams.api';
import type { PwaSignInError, SignInResult } from '../connectors/pwa/oauth/index.js';
import type { PwaSignInNotifier } from '../http/pwa-oauth-routes.js';
import type { ConnectionChanges, ConnectionDocument, PendingPwaSignIn, Stored } from '../store/index.js';
import { errorMessage, notice } from './card-kit.js';
import type { OutgoingMessage } from './chat.js';
import { accessChecklist } from './connect-pwa.js';
import { conversationBase, personOf } from './connection-access.js';
import type { FlowServices } from './services.js';

export type PostToConversation = (reference: Pick<ConversationReference, 'serviceUrl' | 'conversation'>, message: OutgoingMessage) => Promise<unknown>;

export function pwaSignInNotifier(s: FlowServices, post: PostToConversation): PwaSignInNotifier {
  const where = (pending: PendingPwaSignIn) => pending.conversation as unknown as Pick<ConversationReference, 'serviceUrl' | 'conversation'>;
  return {
    async onSignedIn(pending, result: SignInResult) {
      const { account } = result;
      // Which Microsoft 365 account signed in is kept, so "connections" can say whose access it is.
      const owned = await recordOwner(s, pending, result.connection);
      const connection = owned.auth.type === 'oauth' && owned.auth.account !== account.username
        ? await s.store.connections.update(pending.tenantId, owned.id, (current) => ({ auth: { ...current.auth, account: account.username } as ConnectionDocument['auth'] }))
        : owned;
      let message: OutgoingMessage;
      try {
        const report = await (await s.systems.pwa(connection)).verifyAccess();
        message = { card: accessChecklist(pending.tenantId, connection, report, account.username) };
      } catch (err) {
        message = { card: notice('Signed in, but Project Web App did not accept the account', errorMessage(err), {
          tone: 'Warning', details: [`Signed in as ${account.username}. The connection "${connection.name}" is saved; check it again from "connections" once access is granted.`],
        }) };
      }
      await post(where(pending), message);
    },
    async onSignInFailed(pending, problem: PwaSignInError) {
      await post(where(pending), { card: notice('Not connected to Project Web App', problem.message, { tone: 'Attention', details: ['Type "connect pwa" to start again.'] }) });
    },
  };
}

/**
 * The sign-in callback stores only `createdBy`; the owner's name and the chat it started in are
 * known here, so the connections card can name them. Sharing stays unset: only the owner.
 */
async function recordOwner(s: FlowServices, pending: PendingPwaSignIn, connection: Stored<ConnectionDocument>): Promise<Stored<ConnectionDocument>> {
  if (connection.owner) return connection;
  const conversation = (pending.conversation as { conversation?: { id?: unknown; conversationType?: unknown } }).conversation;
  const kind = conversation?.conversationType;
  const origin: ConnectionChanges = typeof conversation?.id === 'string' && (kind === 'personal' || kind === 'groupChat' || kind === 'channel')
    ? { origin: { conversationId: conversationBase(conversation.id), conversationKind: kind } } : {};
  return s.store.connections.update(pending.tenantId, connection.id, () => ({ owner: personOf(pending.requestedBy), ...origin }));
}
