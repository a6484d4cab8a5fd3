import type { SimIdentity } from './model.js';

/** An IdentityRef as work item fields and `revisedBy` carry it. */
export function identityRef(user: SimIdentity, base: string): Record<string, unknown> {
  return {
    displayName: user.displayName,
    url: `${base}/_apis/Identities/${user.id}`,
    _links: { avatar: { href: `${base}/_apis/GraphProfile/MemberAvatars/${user.descriptor}` } },
    id: user.id,
    uniqueName: user.uniqueName,
    imageUrl: `${base}/_api/_common/identityImage?id=${user.id}`,
    descriptor: user.descriptor,
  };
}

/** Resolves "Name <mail>", a mail address or a display name to a known user. */
export function findUser(users: SimIdentity[], text: string): SimIdentity | undefined {
  const mail = /<([^>]+)>/.exec(text)?.[1] ?? text;
  const key = mail.trim().toLowerCase();
  return users.find((u) => u.uniqueName.toLowerCase() === key || u.displayName.toLowerCase() === key || u.id === key);
}

export function makeUser(id: string, displayName: string, uniqueName: string): SimIdentity {
  return { id, displayName, uniqueName, descriptor: `aad.${Buffer.from(id).toString('base64url')}` };
}
