/**
 * A Dataverse Web API failure: `{"error":{"code":"0x80040265","message":".."}}` [notes "Errors"].
 * Codes are the hex strings the Web API sends; where the notes give none the choice is marked [guess].
 */
export class DataverseError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

const CRM = 'Microsoft.Dynamics.CRM';

/** A failure raised while the Project Scheduling Service handles a request, with its PSS key. */
export function pssMessage(key: string, message: string, extra: Record<string, unknown> = {}): string {
  // "Often JSON inside error.message" [notes, 3P].
  return JSON.stringify({ errorCode: key, message, ...extra });
}

export const dvErrors = {
  /** OData URL or payload the parser refuses (an unknown column, a bad $filter, a wrong type). */
  odata: (message: string) => new DataverseError(400, '0x80060888', message),
  unknownProperty: (name: string, logicalName: string) =>
    new DataverseError(400, '0x80060888', `Could not find a property named '${name}' on type '${CRM}.${logicalName}'.`),
  unknownPayloadProperty: (name: string, logicalName: string) =>
    new DataverseError(400, '0x80060888', `The property '${name}' does not exist on type '${CRM}.${logicalName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`),
  /** A bind with an annotation only, e.g. lowercase `msdyn_predecessortask@odata.bind` on a dependency [notes, 3P opsora]. */
  undeclaredBind: (name: string) =>
    new DataverseError(400, '0x80060888', `An undeclared property '${name}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`),
  /** "There is no $skip" [notes "Paging"]. */
  skipNotSupported: () => new DataverseError(400, '0x80060888', 'The query parameter $skip is not supported.'),
  incompatibleTypes: (left: string, right: string, op: string) =>
    new DataverseError(400, '0x80060888', `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' for operator kind '${op}'.`),
  segmentNotFound: (segment: string) => new DataverseError(404, '0x8006088a', `Resource not found for the segment '${segment}'.`),
  /** A missing row: 404 0x80040217. */
  rowNotFound: (logicalName: string, id: string) => new DataverseError(404, '0x80040217', `Entity '${logicalName}' With Id = ${id} Does Not Exist`),
  /** Plain writes on scheduling tables [notes: dynamics-365-project-operations issue #72]. */
  directWrite: (operation: 'Create' | 'Update' | 'Delete', logicalName: string) =>
    new DataverseError(400, '0x80040265', `You cannot directly do '${operation}' operation to '${logicalName}'`),
  /** Conditional GET/PATCH mismatch [notes "ETags", MS perform-conditional-operations]. */
  preconditionFailed: () => new DataverseError(412, '0x80060882', "The version of the existing record doesn't match the RowVersion property provided."),
  /** A valid token for an account that is not a user of this environment [guess: 403 0x80072560]. */
  notAMember: () => new DataverseError(403, '0x80072560', 'The user is not a member of the organization.'),
  /** Schedule API refusal for users without a Project licence [notes "License", MS; key E_OPERATION_BLOCKED_BY_LICENSE]. */
  noLicense: (user: string) => new DataverseError(400, '0x80040265', pssMessage('E_OPERATION_BLOCKED_BY_LICENSE',
    `The Project Schedule APIs can only be used by users with a Microsoft Project license. User ${user} has no such license.`)),
  /** A plugin or PSS validation refusal (ScheduleAPI-AV-xxxx and the like). */
  scheduleApi: (message: string) => new DataverseError(400, '0x80040265', message),
  /** Privilege failures on tables the simulator does not let anyone write [guess: 0x80040220]. */
  missingPrivilege: (privilege: string) => new DataverseError(403, '0x80040220', `Principal user is missing ${privilege} privilege.`),
  /** A create with an id already in use [guess: 412 0x80040237, Dataverse's DuplicateRecord]. */
  duplicateRecord: () => new DataverseError(412, '0x80040237', 'A record with matching key values already exists.'),
  methodNotAllowed: (method: string, path: string) => new DataverseError(405, '0x80060888', `The HTTP method '${method}' is not allowed on '${path}'.`),
  badJson: (detail: string) => new DataverseError(400, '0x80060888', `The request body is not valid JSON: ${detail}`),
  /** Something the real service serves that the simulator does not: loud, so a test relying on it fails. */
  notServed: (what: string) => new DataverseError(501, '0x80060888', `The simulator does not serve ${what}. Extend sim/dataverse to serve it.`),
};
