/** Name of the admin token whose value comes from the ADMIN_TOKEN environment variable. */
export const ENV_ADMIN_TOKEN_NAME = 'ADMIN_TOKEN';
/** Name of the admin token generated on the first start without ADMIN_TOKEN. */
export const GENERATED_ADMIN_TOKEN_NAME = 'generated on first start';
/** `settings` key set once the first admin token exists, so a restart never generates another. */
export const ADMIN_BOOTSTRAP_SETTING = 'fleet.admin_token_bootstrapped';
/** 256-bit generated tokens are far longer; this only stops an obviously guessable ADMIN_TOKEN. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;
