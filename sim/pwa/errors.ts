/** A Project Server failure as the REST layer reports it (status, `code`, message text). */
export class PsError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Project Server errors surface as PJClientCallableException with the error enum name first. */
export function pjError(status: number, number: number, name: string, details: Record<string, string> = {}): PsError {
  const lines = Object.entries(details).map(([k, v]) => `${k} = ${v}`);
  return new PsError(status, `${number}, Microsoft.ProjectServer.PJClientCallableException`, [`PJClientCallableException: ${name}`, name, ...lines].join('\r\n'));
}

export const psErrors = {
  projectNotFound: (id: string) => pjError(404, 1000, 'ProjectNotFound', { projectUid: id }),
  taskNotFound: (id: string) => pjError(404, 7021, 'TaskNotFound', { taskUid: id }),
  checkedOutToOtherUser: (project: string, user: string) => pjError(500, 10100, 'CICOCheckedOutToOtherUser', { projectName: project, userName: user }),
  notCheckedOut: (project: string) => pjError(500, 10102, 'CICONotCheckedOut', { projectName: project }),
  correlationBlocked: (project: string) => pjError(500, 26005, 'GeneralQueueCorrelationBlocked', { projectName: project }),
  projectTypeInvalid: (project: string) => pjError(500, 1008, 'ProjectTypeInvalid', { projectName: project }),
  accessDenied: () => pjError(403, 20010, 'GeneralSecurityAccessDenied'),
  fieldNameExists: (name: string) => pjError(500, 11519, 'CustomFieldNameAlreadyExists', { name }),
  fieldInvalidType: () => pjError(500, 11500, 'CustomFieldInvalidPropertyType'),
  itemDoesNotExist: (what: string) => pjError(404, 10000, 'GeneralItemDoesNotExist', { item: what }),
  invalidDigest: () => new PsError(403, '-2130575251, Microsoft.SharePoint.SPException',
    "The security validation for this page is invalid and might be corrupted. Please use your web browser's Back button to try your operation again."),
  badRequest: (message: string) => new PsError(400, '-1, Microsoft.SharePoint.Client.InvalidClientQueryException', message),
  unknownProperty: (name: string, type: string) => new PsError(400, '-1, Microsoft.SharePoint.Client.InvalidClientQueryException',
    `The property '${name}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type.`),
  /** ODataLib's refusal of a JSON value that does not fit the property's Edm type. */
  invalidValue: (name: string, type: string) => new PsError(400, '-1, Microsoft.Data.OData.ODataException',
    `Cannot convert a primitive value to the expected type '${type}' of the property '${name}'. See the inner exception for more details.`),
  /** A value the server cannot serialize in its declared Edm type (a work or duration beyond Int32 milliseconds). */
  overflow: (type: string) => new PsError(500, '-2146233066, System.OverflowException', `Value was either too large or too small for an ${type.replace(/^Edm\./, '')}.`),
  /** A member the real type declares but the simulator does not serve: loud, so a test relying on it fails. */
  notServed: (name: string, type: string) => new PsError(501, '-1, Microsoft.SharePoint.Client.ClientServiceException',
    `The simulator does not serve '${name}' of type '${type}'. Extend sim/pwa to serve it.`),
  notFound: (path: string) => new PsError(404, '-1, Microsoft.SharePoint.Client.ResourceNotFoundException', `Cannot find resource for the request ${path}.`),
};
