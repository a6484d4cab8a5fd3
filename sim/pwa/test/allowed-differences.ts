/**
 * The one reviewed list of differences between the PWA simulator and the PS `$metadata` dumps
 * (`../shared/specs/pwa`). Each entry says why the difference is accepted. The conformance test
 * (`schema.test.ts`) fails on any difference missing here, and on any entry here that no longer occurs.
 */

export interface AllowedDifference {
  difference: string;
  reason: string;
}

const ONLINE_LINK_LAG = 'Project Online only: the Online dump declares link lag (LinkLag in tenths of a minute, LinkLagFmt, LinkLagDuration) and the task ids on task links; Project Server 2019 does not. The simulator serves the Online shape so lag is readable; a connector must treat these as optional on Server 2019.';

export const ALLOWED_DIFFERENCES: Record<'2019' | 'spo', AllowedDifference[]> = {
  '2019': [
    { difference: 'PS.DraftTaskLink: no property or navigation LinkLagDuration', reason: ONLINE_LINK_LAG },
    { difference: 'PS.DraftTaskLink: no property or navigation PredecessorTaskId', reason: ONLINE_LINK_LAG },
    { difference: 'PS.DraftTaskLink: no property or navigation SuccessorTaskId', reason: ONLINE_LINK_LAG },
    { difference: 'PS.PublishedTaskLink: no property or navigation LinkLag', reason: ONLINE_LINK_LAG },
    { difference: 'PS.PublishedTaskLink: no property or navigation LinkLagDuration', reason: ONLINE_LINK_LAG },
    { difference: 'PS.PublishedTaskLink: no property or navigation LinkLagFmt', reason: ONLINE_LINK_LAG },
    { difference: 'PS.PublishedTaskLink: no property or navigation PredecessorTaskId', reason: ONLINE_LINK_LAG },
    { difference: 'PS.PublishedTaskLink: no property or navigation ProjUid', reason: ONLINE_LINK_LAG },
    { difference: 'PS.PublishedTaskLink: no property or navigation SuccessorTaskId', reason: ONLINE_LINK_LAG },
  ],
  spo: [],
};
