import { ENTRA_DEMO } from '../entra/directory.js';

/**
 * The environment's users. Only users with a Microsoft Project licence may call the schedule
 * APIs; application, system and integration users are refused [notes "License", MS].
 * The two Entra simulator demo accounts sign in here: `pm@…` is licensed, `viewer@…` is not.
 */
export interface ServicePlan {
  Name: string;
  DisplayName: string;
  ServicePlanId: string;
}

export interface DataverseUser {
  systemuserid: string;
  fullname: string;
  /** UPN, what `domainname` holds for Entra users. */
  domainname: string;
  azureactivedirectoryobjectid: string;
  /** systemuser.accessmode: 0 Read-Write, 4 Non-interactive (application users). */
  accessmode: number;
  applicationid: string | null;
  servicePlans: ServicePlan[];
}

export const ENVIRONMENT = {
  organizationId: '3c5e7a90-2b4d-4f61-8e3a-9d1c0b7e6f52',
  businessUnitId: 'e8b4d2a6-5c1f-4e97-a3b0-7f6d9c2e1a84',
  uniqueName: 'unq3c5e7a902b4d4f618e3a9d1c0b7e6f52',
  friendlyName: 'Contoso Projects',
};

/** Project Plan 3's Dataverse service plan [guess: names as the M365 admin center lists them]. */
export const PROJECT_SERVICE_PLAN: ServicePlan = { Name: 'PROJECT_PROFESSIONAL', DisplayName: 'Project P3', ServicePlanId: '818523f5-016b-4355-9be8-ed6944946ea7' };
const DATAVERSE_BASIC_PLAN: ServicePlan = { Name: 'DYN365_CDS_O365_P3', DisplayName: 'Common Data Service', ServicePlanId: '28b0fa46-c39a-4188-89e2-58e979a6b014' };

export const LICENSED_USER: DataverseUser = {
  systemuserid: '6d2f8a41-3c7e-4b95-a0d8-1e9f5c3b7a26',
  fullname: ENTRA_DEMO.user.displayName,
  domainname: ENTRA_DEMO.user.username,
  azureactivedirectoryobjectid: ENTRA_DEMO.user.objectId,
  accessmode: 0,
  applicationid: null,
  servicePlans: [PROJECT_SERVICE_PLAN, DATAVERSE_BASIC_PLAN],
};

export const UNLICENSED_USER: DataverseUser = {
  systemuserid: '9a4c6e12-8f3b-4d70-b5e1-2c7a9d0f4b83',
  fullname: ENTRA_DEMO.viewer.displayName,
  domainname: ENTRA_DEMO.viewer.username,
  azureactivedirectoryobjectid: ENTRA_DEMO.viewer.objectId,
  accessmode: 0,
  applicationid: null,
  servicePlans: [DATAVERSE_BASIC_PLAN],
};

/** People on the Apollo Cloud team (bookable resources); they never call the API. */
export const TEAM_USERS: DataverseUser[] = [
  { systemuserid: 'b71e3d95-4a2c-4f08-9d6b-5e3a1c8f2d47', fullname: 'Priya Natarajan', domainname: 'priya.natarajan@contoso.onmicrosoft.com', azureactivedirectoryobjectid: 'f2a9c4e1-7b3d-4a56-8e0c-1d5b9f3a7c62', accessmode: 0, applicationid: null, servicePlans: [PROJECT_SERVICE_PLAN] },
  { systemuserid: 'c48a2f61-9d5e-4b37-a1c0-8f2e6d4b9a15', fullname: 'Marcus Chen', domainname: 'marcus.chen@contoso.onmicrosoft.com', azureactivedirectoryobjectid: 'a7d3e5f9-2c8b-4e61-b4a0-6f1c3d9e8b27', accessmode: 0, applicationid: null, servicePlans: [PROJECT_SERVICE_PLAN] },
  { systemuserid: 'd95b7c28-1e4f-4a83-b6d2-3a9f0e5c1b74', fullname: 'Sofia Alvarez', domainname: 'sofia.alvarez@contoso.onmicrosoft.com', azureactivedirectoryobjectid: 'e4b1f7a3-5d9c-4b28-a6e3-0c8d2f4a9e16', accessmode: 0, applicationid: null, servicePlans: [PROJECT_SERVICE_PLAN] },
];

/** An application (S2S) user: refused by the schedule APIs even though it can read [notes "License"]. */
export const APPLICATION_USER: DataverseUser = {
  systemuserid: '1f8e4c2a-6b3d-4e9f-a7c5-0d2b8e6f4a39',
  fullname: '# PlanBridge',
  domainname: 'planbridge-app@contoso.onmicrosoft.com',
  azureactivedirectoryobjectid: '4e7a1c9d-3b5f-4d82-9a6e-2f0c8b4d7e15',
  accessmode: 4,
  applicationid: ENTRA_DEMO.clientId,
  servicePlans: [],
};

export const ALL_USERS: DataverseUser[] = [LICENSED_USER, UNLICENSED_USER, APPLICATION_USER, ...TEAM_USERS];

/** Licensed for the schedule APIs: a Project plan, and an interactive user (not an application user). */
export function hasProjectLicense(user: DataverseUser): boolean {
  return user.applicationid === null && user.accessmode !== 4 && user.servicePlans.some((p) => p.Name === PROJECT_SERVICE_PLAN.Name);
}

export const DATAVERSE_DEMO_CREDENTIALS = {
  /** Local mode: the licensed demo user ("Demo PM"). */
  bearerToken: 'demo-dataverse-token',
  /** Local mode: the unlicensed demo user ("Demo Viewer"): reads work, schedule APIs are refused. */
  unlicensedBearerToken: 'demo-dataverse-unlicensed-token',
  /** Local mode: an application user: reads work, schedule APIs are refused. */
  applicationBearerToken: 'demo-dataverse-app-token',
  /** Entra simulator sign-ins (delegated tokens, audience = the simulator's origin). */
  licensedAccount: ENTRA_DEMO.user.username,
  unlicensedAccount: ENTRA_DEMO.viewer.username,
} as const;
