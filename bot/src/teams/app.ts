import { App, type IActivityContext } from '@microsoft/teams.apps';
import type { Activity, CloudEnvironment, ConversationReference, TokenProvider } from '@microsoft/teams.api';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { CardAction } from '../flows/actions.js';
import { handleCardAction } from '../flows/card-actions.js';
import { handleMessageText } from '../flows/dispatch.js';
import type { FlowServices } from '../flows/services.js';
import { sendWelcome } from '../flows/help.js';
import { pauseSchedulesReportingTo } from '../flows/uninstall.js';
import { RestifyAdapter } from '../http/restify-adapter.js';
import type { Server } from 'restify';
import { sdkLogger } from './sdk-logger.js';
import { actionTurnFrom, chatTurnFrom, tenantOf } from './turn.js';
import { REMEMBERED_MAX, REMEMBERED_TTL_MS, RememberedReferences } from './remembered-references.js';

/** Where conversation references go so later proactive messages can reach the chat. */
export interface ConversationDirectory {
  /** `likelyNew`: this instance never stored a reference for the chat (see ConversationRepository.save). */
  remember(tenantId: string, ref: ConversationReference, likelyNew: boolean): Promise<void>;
  forget(tenantId: string, conversationId: string): Promise<void>;
}

export interface TeamsAppOptions {
  config: Config;
  logger: Logger;
  server: Server;
  conversations?: ConversationDirectory;
  /** The journeys' dependencies; without them only welcome and help work. */
  flows?: FlowServices;
  /** Test seams: a local OpenID/JWKS cloud and a fake outbound token. Never set in production. */
  cloud?: CloudEnvironment;
  token?: TokenProvider;
}

/** Builds the Teams SDK app: routes only, every decision lives in flows/. */
export function createTeamsApp(options: TeamsAppOptions): App {
  const { config, logger } = options;
  const app = new App({
    httpServerAdapter: new RestifyAdapter(options.server, logger, config.host),
    clientId: config.auth.clientId,
    // The SDK prefers client credentials over a token factory, so the test seam must drop the secret.
    clientSecret: options.token ? undefined : config.auth.clientSecret,
    tenantId: config.auth.tenantId,
    // Local mode has no credentials; the listener is loopback-only (enforced in config).
    dangerouslyAllowUnauthenticatedRequests: config.auth.mode === 'local',
    logger: sdkLogger(logger),
    // No `mentions.stripText`: commands/normalize.ts removes every <at>…</at> itself, so the SDK's
    // pass over the same text was a second middleware step on every message for nothing.
    ...(options.cloud ? { cloud: options.cloud } : {}),
    ...(options.token ? { token: options.token } : {}),
  });

  // A chat's reference rarely changes, so a message whose reference this instance already stored
  // skips the store. Installs always go to the store: another instance may have deleted it.
  const remembered = new RememberedReferences(REMEMBERED_MAX, REMEMBERED_TTL_MS);
  const remember = async (ctx: IActivityContext<Activity>, viaStore = false) => {
    const tenantId = tenantOf(ctx.activity);
    if (!options.conversations || !tenantId) return;
    const key = `${tenantId}\n${ctx.ref.conversation.id}`;
    // The activity id changes every turn and is never read back (see sameConversationReference).
    if (!viaStore && remembered.has(key, ctx.ref)) return;
    await options.conversations.remember(tenantId, ctx.ref, !remembered.knows(key)).then(
      () => remembered.set(key, ctx.ref),
      (err: unknown) => {
        logger.warn({ err: errorName(err), conversation: ctx.ref.conversation.id }, 'could not store conversation reference');
      },
    );
  };

  app.on('install.add', async (ctx) => {
    await remember(ctx, true);
    await sendWelcome(chatTurnFrom(ctx));
  });

  app.on('install.remove', async (ctx) => {
    const tenantId = tenantOf(ctx.activity);
    if (!tenantId) return;
    remembered.forget(`${tenantId}\n${ctx.activity.conversation.id}`);
    if (options.conversations) await options.conversations.forget(tenantId, ctx.activity.conversation.id);
    if (options.flows) {
      await pauseSchedulesReportingTo(options.flows, tenantId, ctx.activity.conversation.id).catch((err: unknown) => {
        logger.error({ err: errorName(err), conversation: ctx.activity.conversation.id }, 'could not pause the schedules of a removed chat');
      });
    }
  });

  app.on('message', async (ctx) => {
    await remember(ctx);
    const text = typeof ctx.activity.text === 'string' ? ctx.activity.text : '';
    await handleMessageText(chatTurnFrom(ctx), text, { maxMessageChars: config.maxMessageChars }, options.flows);
  });

  // Action.Execute (Universal Actions): the returned card replaces the clicked one for the caller;
  // a message answer leaves the card as it is.
  app.on('card.action', async (ctx) => {
    const value = ctx.activity.value;
    const action: CardAction = {
      verb: typeof value?.action?.verb === 'string' ? value.action.verb : '',
      data: value?.action?.data && typeof value.action.data === 'object' && !Array.isArray(value.action.data) ? value.action.data : {},
      trigger: value?.trigger === 'manual' || value?.trigger === undefined ? 'manual' : 'automatic',
    };
    if (!options.flows) {
      return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'This PlanBridge instance has no journeys configured.' } as const;
    }
    const reply = await handleCardAction(options.flows, actionTurnFrom(ctx), action);
    if ('card' in reply) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: reply.card as never } as const;
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: reply.message } as const;
  });

  app.event('error', ({ error }) => {
    logger.error({ err: errorName(error) }, 'activity handler failed');
  });
  return app;
}

function errorName(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
