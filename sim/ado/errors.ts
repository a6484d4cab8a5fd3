/** An Azure DevOps REST failure, serialized the way the service does (`$id`, `message`, `typeKey`, ...). */
export class AdoSimError extends Error {
  constructor(readonly status: number, readonly typeKey: string, message: string, readonly errorCode = 0) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      $id: '1',
      innerException: null,
      message: this.message,
      typeName: `Microsoft.TeamFoundation.${this.typeKey}, Microsoft.TeamFoundation`,
      typeKey: this.typeKey,
      errorCode: this.errorCode,
      eventId: 3000,
    };
  }
}

export const adoErrors = {
  badRequest: (message: string) => new AdoSimError(400, 'InvalidArgumentValueException', message),
  projectNotFound: (name: string) => new AdoSimError(404, 'ProjectDoesNotExistWithNameException',
    `TF200016: The following project does not exist: ${name}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`),
  teamNotFound: (name: string) => new AdoSimError(404, 'TeamNotFoundException', `The team with id or name '${name}' does not exist.`),
  workItemNotFound: (id: number | string) => new AdoSimError(404, 'WorkItemUnauthorizedAccessException',
    `TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`, 600171),
  typeNotFound: (name: string) => new AdoSimError(404, 'WorkItemTypeNotFoundException', `VS402323: Work item type ${name} does not exist.`),
  fieldNotFound: (ref: string) => new AdoSimError(400, 'WorkItemFieldInvalidException', `TF51535: Cannot find field ${ref}.`),
  nodeNotFound: (path: string) => new AdoSimError(404, 'WorkItemTrackingTreeNodeNotFoundException', `VS402485: The node name ${path} could not be found.`),
  queryNotFound: (id: string) => new AdoSimError(404, 'QueryItemNotFoundException', `TF401243: The query ${id} does not exist, or you do not have permission to read it.`),
  // The process API's refusal of a process id it does not know (or a malformed one).
  processNotFound: (id: string) => new AdoSimError(404, 'ProcessNotFoundByTypeIdException', `The process with id ${id} does not exist or you do not have permission to read it.`),
  notFound: (path: string) => new AdoSimError(404, 'ResourceNotFoundException', `The resource ${path} could not be found.`),
  ruleError: (field: string, codes: string) => new AdoSimError(400, 'RuleValidationException', `TF401320: Rule Error for field ${field}. Error code: ${codes}.`, 600171),
  invalidTree: (id: number, field: string) => new AdoSimError(400, 'WorkItemTrackingInvalidTreeNameException', `TF401347: Invalid tree name given for work item ${id}, field '${field}'.`),
  readOnlyField: (ref: string) => new AdoSimError(400, 'WorkItemFieldReadOnlyException', `TF401326: Invalid field status 'ReadOnly' for field '${ref}'.`),
  staleRev: (id: number, expected: unknown, actual: number) => new AdoSimError(412, 'WorkItemRevisionMismatchException',
    `TF26071: This work item has been changed by someone else since you opened it. Work item ${id}: the test of /rev expected ${String(expected)} but the current revision is ${actual}.`),
  tooManyIds: (max: number) => new AdoSimError(400, 'ArgumentOutOfRangeException', `VS402335: The maximum number of work items that can be requested at once is ${max}.`),
  expandWithFields: () => new AdoSimError(400, 'ConflictingParametersException', 'The expand parameter can not be used with the fields parameter.'),
  wiqlTooLarge: (max: number) => new AdoSimError(400, 'WorkItemTrackingQueryResultSizeLimitExceededException',
    `VS402337: The number of work items returned exceeds the size limit of ${max}. Change the query to return fewer work items.`),
  wiqlSyntax: (message: string) => new AdoSimError(400, 'SyntaxException', `TF51006: The query statement is not valid: ${message}`),
  linkError: (message: string) => new AdoSimError(400, 'WorkItemLinkInvalidException', message),
  versionOutOfRange: (requested: string, max: string) => new AdoSimError(400, 'VssVersionOutOfRangeException',
    `The requested REST API version of ${requested} is out of range for this server. The latest REST API version for this server is ${max}.`),
};
