/** Scope a token needs to submit messages, or to validate them. */
export const SUBMIT_SCOPE = 'payments/write';
