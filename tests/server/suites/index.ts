import { abuseSuite } from './abuse.js';
import { attachmentsSuite } from './attachments.js';
import { basicFormSuite } from './basic-form.js';
import { basicsSuite } from './basics.js';
import { checkSuite } from './check.js';
import type { GetFactory } from './common.js';
import { compressionSuite } from './compression.js';
import { coordinatorSuite } from './coordinator.js';
import { keyringSuite } from './keyring.js';
import { mailboxesSuite } from './mailboxes.js';
import { membersSuite } from './members.js';
import { memberAccountSuite } from './member-account.js';
import { powSuite } from './pow.js';
import { profileSuite } from './profile.js';
import { reportsSuite } from './reports.js';
import { retentionSuite } from './retention.js';
import { retentionTablesSuite } from './retention-tables.js';
import { bodyLimitSuite, routeRulesSuite, stampSuite } from './route-rules.js';
import { staticSuite } from './static.js';
import { statisticsSuite } from './statistics.js';
import { storageSuite } from './storage.js';
import { warningsSuite } from './warnings.js';

/** Every endpoint suite, run once per database. */
export function allSuites(getFactory: GetFactory): void {
  basicsSuite(getFactory);
  keyringSuite(getFactory);
  profileSuite(getFactory);
  statisticsSuite(getFactory);
  powSuite(getFactory);
  reportsSuite(getFactory);
  attachmentsSuite(getFactory);
  mailboxesSuite(getFactory);
  coordinatorSuite(getFactory);
  warningsSuite(getFactory);
  compressionSuite(getFactory);
  membersSuite(getFactory);
  memberAccountSuite(getFactory);
  basicFormSuite(getFactory);
  retentionSuite(getFactory);
  retentionTablesSuite(getFactory);
  staticSuite(getFactory);
  storageSuite(getFactory);
  routeRulesSuite(getFactory);
  stampSuite(getFactory);
  bodyLimitSuite(getFactory);
  abuseSuite(getFactory);
  checkSuite(getFactory);
}
