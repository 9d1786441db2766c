// Exit codes shared by every command.

/** Success, or "consistent" for audit. */
export const EXIT_OK = 0;
/** The input was checked and found wanting (lint errors), or an operation failed. */
export const EXIT_FAILED = 1;
/** Usage error: unknown option, missing or unreadable file. `audit` uses 2 for drift, like terraform plan. */
export const EXIT_USAGE = 2;
