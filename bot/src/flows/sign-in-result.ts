/**
 * Journey: the end of "Microsoft 365 sign-in" for PWA, Planner premium or Outlook. The browser
 * finishes on /auth/pwa/callback (http/sign-in-routes.ts); this posts the outcome to the chat
 * where the sign-in started: on success the system's access checklist (checked with the new
 * token), on failure what went wrong and how to start again.
 */
import type { ConversationReference } from '@microsoft/teams.api';
import type { M365SignInError, SignInResult } from '../connectors/m365/index.js';
import type { SignInNotifier } from '../http/sign-in-routes.js';
import type { ConnectionChanges, ConnectionDocument, PendingSignIn, Stored } from '../store/index.js';
import { errorMessage, notice } from './card-kit.js';
import type { OutgoingMessage } from './chat.js';
import { accessChecklist } from './connect-pwa.js';
import { checkSignedInPlanner } from './connect-planner.js';
import { checkSignedInOutlook } from './outlook/connect-outlook.js';
import { CONNECT_COMMAND, SYSTEM_NAME } from '../connectors/m365/resources.js';
import { conversationBase, personOf } from './connection-access.js';
import type { FlowServices } from './services.js';

export type PostToConversation = (reference: Pick<ConversationReference, 'serviceUrl' | 'conversation'>, message: OutgoingMessage) => Promise<unknown>;

export function signInNotifier(s: FlowServices, post: PostToConversation): SignInNotifier {
  const where = (pending: PendingSignIn) => pending.conversation as unknown as Pick<ConversationReference, 'serviceUrl' | 'conversation'>;
  return {
    async onSignedIn(pending, result: SignInResult) {
      const connection = await recordOwner(s, pending, result.connection);
      const { system } = pending.draft;
      const check = system === 'planner' ? checkSignedInPlanner : system === 'outlook' ? checkSignedInOutlook : checkSignedInPwa;
      let message: OutgoingMessage;
      try {
        message = await check(s, pending, connection, result.account.username);
      } catch (err) {
        message = { card: notice(`Signed in, but ${SYSTEM_NAME[system]} did not accept the account`, errorMessage(err), {
          tone: 'Warning', details: [`Signed in as ${result.account.username}. The connection "${connection.name}" is saved; check it again from "connections" once access is granted.`],
        }) };
      }
      await post(where(pending), message);
      // A refused account's new connection is removed by its check: the sign-in page must not say "connected".
      return { connected: (await s.store.connections.get(pending.tenantId, connection.id)) !== undefined };
    },
    async onSignInFailed(pending, problem: M365SignInError) {
      const { system } = pending.draft;
      await post(where(pending), { card: notice(`Not connected to ${SYSTEM_NAME[system]}`, problem.message, { tone: 'Attention', details: [`Type "${CONNECT_COMMAND[system]}" to start again.`] }) });
    },
  };
}

async function checkSignedInPwa(s: FlowServices, pending: PendingSignIn, connection: Stored<ConnectionDocument>, username: string): Promise<OutgoingMessage> {
  const report = await (await s.systems.pwa(connection)).verifyAccess();
  return { card: accessChecklist(pending.tenantId, connection, report, username) };
}

/**
 * The sign-in callback stores only `createdBy`; the owner's name and the chat it started in are
 * known here, so the connections card can name them. Sharing stays unset: only the owner.
 */
async function recordOwner(s: FlowServices, pending: PendingSignIn, connection: Stored<ConnectionDocument>): Promise<Stored<ConnectionDocument>> {
  if (connection.owner) return connection;
  const conversation = (pending.conversation as { conversation?: { id?: unknown; conversationType?: unknown } }).conversation;
  const kind = conversation?.conversationType;
  const origin: ConnectionChanges = typeof conversation?.id === 'string' && (kind === 'personal' || kind === 'groupChat' || kind === 'channel')
    ? { origin: { conversationId: conversationBase(conversation.id), conversationKind: kind } } : {};
  return s.store.connections.update(pending.tenantId, connection.id, () => ({ owner: personOf(pending.requestedBy), ...origin }));
}
