import type { PlanFieldValue } from '../ppm.js';

/**
 * Task custom field values have no documented REST write. PlanBridge uses the CSOM endpoint
 * (`/_vti_bin/client.svc/ProcessQuery`) to call `DraftTask.SetCustomFieldValue(fieldName, value)`,
 * the documented client-object-model method, inside the same check-out as the REST edits.
 * One request carries every value of a change set.
 */

/** CSOM type id of PS.ProjectServer (the Constructor object path). */
export const PROJECT_SERVER_TYPE_ID = '{3a609e5f-e2a1-497c-87a2-e5e8a781c096}';

export interface CustomFieldWrite {
  taskId: string;
  /** `Custom_{hex}` internal name. */
  internalName: string;
  /** Plain value, or lookup entry internal names (`Entry_{hex}`) for lookup fields. */
  value: PlanFieldValue;
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function parameter(value: PlanFieldValue): string {
  if (value === null) return '<Parameter Type="Null" />';
  if (Array.isArray(value)) return `<Parameter Type="Array">${value.map((v) => `<Object Type="String">${xml(v)}</Object>`).join('')}</Parameter>`;
  if (typeof value === 'boolean') return `<Parameter Type="Boolean">${value}</Parameter>`;
  if (typeof value === 'number') return `<Parameter Type="Double">${value}</Parameter>`;
  return `<Parameter Type="String">${xml(value)}</Parameter>`;
}

export function setTaskCustomFieldsRequest(projectId: string, writes: CustomFieldWrite[]): string {
  const paths = [
    `<Constructor Id="1" TypeId="${PROJECT_SERVER_TYPE_ID}" />`,
    '<Property Id="2" ParentId="1" Name="Projects" />',
    `<Method Id="3" ParentId="2" Name="GetByGuid"><Parameters><Parameter Type="Guid">{${xml(projectId)}}</Parameter></Parameters></Method>`,
    '<Property Id="4" ParentId="3" Name="Draft" />',
    '<Property Id="5" ParentId="4" Name="Tasks" />',
  ];
  const taskPath = new Map<string, number>();
  let nextId = 6;
  const actions: string[] = [];
  for (const w of writes) {
    let pathId = taskPath.get(w.taskId);
    if (pathId === undefined) {
      pathId = nextId++;
      taskPath.set(w.taskId, pathId);
      paths.push(`<Method Id="${pathId}" ParentId="5" Name="GetByGuid"><Parameters><Parameter Type="Guid">{${xml(w.taskId)}}</Parameter></Parameters></Method>`);
    }
    actions.push(`<Method Name="SetCustomFieldValue" Id="${nextId++}" ObjectPathId="${pathId}"><Parameters><Parameter Type="String">${xml(w.internalName)}</Parameter>${parameter(w.value)}</Parameters></Method>`);
  }
  return '<Request xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009" SchemaVersion="15.0.0.0" LibraryVersion="16.0.0.0" ApplicationName="PlanBridge">'
    + `<Actions>${actions.join('')}</Actions><ObjectPaths>${paths.join('')}</ObjectPaths></Request>`;
}
