import type { Principal } from '#contracts';

/** The automation reads alerts and work orders as a system administrator (never through HTTP). */
export const AUTOMATION_PRINCIPAL: Principal = { role: 'admin', tokenId: 'automation' };

/** Who the automation's actions on alerts are recorded as. */
export const AUTOMATION_ACTOR = 'automation';
