/**
 * An Azure DevOps REST failure, serialized the way the service does (`$id`, `message`, `typeKey`, ...).
 * Work item tracking errors come from the WIT server assembly with event id 3200, as in this
 * answer of the real service to a missing work item:
 * {"$id":"1","innerException":null,"message":"TF401232: Work item 27142 does not exist, or you do not have
 * permissions to read it.","typeName":"Microsoft.TeamFoundation.WorkItemTracking.Server.WorkItemUnauthorizedAccessException,
 * Microsoft.TeamFoundation.WorkItemTracking.Server","typeKey":"WorkItemUnauthorizedAccessException","errorCode":0,"eventId":3200}
 */
export interface AdoErrorOptions {
  errorCode?: number;
  /** The platform (`Microsoft.TeamFoundation`, event 3000; the default) or work item tracking (event 3200). */
  source?: 'wit' | 'platform';
  customProperties?: Record<string, unknown>;
}

export class AdoSimError extends Error {
  readonly errorCode: number;
  constructor(readonly status: number, readonly typeKey: string, message: string, private readonly options: AdoErrorOptions | number = {}) {
    super(message);
    this.errorCode = typeof options === 'number' ? options : options.errorCode ?? 0;
  }

  body(): Record<string, unknown> {
    const o = typeof this.options === 'number' ? {} : this.options;
    const assembly = o.source === 'wit' ? 'Microsoft.TeamFoundation.WorkItemTracking.Server' : 'Microsoft.TeamFoundation';
    return {
      $id: '1',
      ...(o.customProperties ? { customProperties: o.customProperties } : {}),
      innerException: null,
      message: this.message,
      typeName: `${assembly}.${this.typeKey}, ${assembly}`,
      typeKey: this.typeKey,
      errorCode: this.errorCode,
      eventId: o.source === 'wit' ? 3200 : 3000,
    };
  }
}

/**
 * TF401320 as ADO sends it: the message plus `customProperties.RuleValidationErrors`, one entry per
 * field that broke a rule (what clients read to tell which field to fix).
 */
/** A failure raised by the work item tracking server. */
export const witError = (status: number, typeKey: string, message: string): AdoSimError => new AdoSimError(status, typeKey, message, { source: 'wit' });

function ruleError(field: string, codes: string, ref = field): AdoSimError {
  const message = `TF401320: Rule Error for field ${field}. Error code: ${codes}.`;
  return new AdoSimError(400, 'RuleValidationException', message, {
    errorCode: 600171,
    source: 'wit',
    customProperties: {
      FieldReferenceName: ref,
      FieldStatusFlags: codes.toLowerCase(),
      ErrorMessage: message,
      RuleValidationErrors: [{ fieldReferenceName: ref, fieldStatusFlags: codes.toLowerCase(), errorMessage: message, ruleValidationErrors: null }],
    },
  });
}

export const adoErrors = {
  badRequest: (message: string) => new AdoSimError(400, 'InvalidArgumentValueException', message),
  projectNotFound: (name: string) => new AdoSimError(404, 'ProjectDoesNotExistWithNameException',
    `TF200016: The following project does not exist: ${name}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`),
  teamNotFound: (name: string) => new AdoSimError(404, 'TeamNotFoundException', `The team with id or name '${name}' does not exist.`),
  workItemNotFound: (id: number | string) => witError(404, 'WorkItemUnauthorizedAccessException',
    `TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`),
  typeNotFound: (name: string) => witError(404, 'WorkItemTypeNotFoundException', `VS402323: Work item type ${name} does not exist.`),
  fieldNotFound: (ref: string) => witError(400, 'WorkItemFieldInvalidException', `TF51535: Cannot find field ${ref}.`),
  nodeNotFound: (path: string) => witError(404, 'WorkItemTrackingTreeNodeNotFoundException', `VS402485: The node name ${path} could not be found.`),
  queryNotFound: (id: string) => witError(404, 'QueryItemNotFoundException', `TF401243: The query ${id} does not exist, or you do not have permission to read it.`),
  // The process API's refusal of a process id it does not know (or a malformed one).
  processNotFound: (id: string) => new AdoSimError(404, 'ProcessNotFoundByTypeIdException', `The process with id ${id} does not exist or you do not have permission to read it.`),
  notFound: (path: string) => new AdoSimError(404, 'ResourceNotFoundException', `The resource ${path} could not be found.`),
  ruleError,
  invalidTree: (id: number, field: string) => witError(400, 'WorkItemTrackingInvalidTreeNameException', `TF401347: Invalid tree name given for work item ${id}, field '${field}'.`),
  readOnlyField: (ref: string) => witError(400, 'WorkItemFieldReadOnlyException', `TF401326: Invalid field status 'ReadOnly' for field '${ref}'.`),
  // The service's words for a failed `test /rev` (quoted in Microsoft's own onefuzz source); 412 as reported (notes/ado-wire.md).
  staleRev: () => witError(412, 'WorkItemRevisionMismatchException',
    'TF26071: This work item has been changed by someone else since you opened it. You will need to refresh it and discard your changes.'),
  // VS402335 is the WIQL timeout; too many ids is VS403474, in the service's words as users report it.
  tooManyIds: (requested: number, max: number) => witError(400, 'ArgumentException', `VS403474: You requested ${requested} work items which exceeds the limit of ${max}`),
  // VS402625 is the service's code for revision dates out of order (reported by migration tools);
  // a ChangedDate after the server's clock is the same rule seen from the other end.
  changedDateOutOfOrder: (id: number, why: string) => witError(400, 'RuleValidationException', `VS402625: Dates must be increasing with each revision. Work item ${id}: ${why}`),
  // No capture of these refusals is at hand: the shape is the service's, the wording is ours (no invented codes).
  classificationNodeExists: (name: string) => witError(409, 'ClassificationNodeDuplicateNameException', `The classification node name ${name} is already in use by a sibling node.`),
  fieldExists: (ref: string) => witError(409, 'WorkItemFieldAlreadyExistsException', `The field ${ref} already exists.`),
  expandWithFields: () => witError(400, 'ConflictingParametersException', 'The expand parameter can not be used with the fields parameter.'),
  wiqlTooLarge: (max: number) => witError(400, 'WorkItemTrackingQueryResultSizeLimitExceededException',
    `VS402337: The number of work items returned exceeds the size limit of ${max}. Change the query to return fewer work items.`),
  wiqlSyntax: (message: string) => witError(400, 'SyntaxException', `TF51006: The query statement is not valid: ${message}`),
  linkError: (message: string) => witError(400, 'WorkItemLinkInvalidException', message),
  versionOutOfRange: (requested: string, max: string) => new AdoSimError(400, 'VssVersionOutOfRangeException',
    `The requested REST API version of ${requested} is out of range for this server. The latest REST API version for this server is ${max}.`),
};
