/**
 * The platform's choice whether spending needs an operative subscription: SUBSCRIPTION_REQUIRED,
 * on unless set to "off" (or "false"/"0"). A deployment setting, read per call so tests and
 * operators can change it without a rebuild.
 */
export function subscriptionRequired(): boolean {
  const value = (process.env.SUBSCRIPTION_REQUIRED ?? "on").trim().toLowerCase();
  return !["off", "false", "0", "no"].includes(value);
}
