"use client";

import { signIn } from "next-auth/react";
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import styles from "./sign-in-form.module.css";

export interface SignInFormProps {
  callbackUrl: string;
  /** next-auth's error code from the URL (e.g. after a failed OIDC round trip). */
  initialError: string | null;
  /** Button text of the OpenID Connect provider, null when it is not configured. */
  oidcName: string | null;
}

/** Codes with their own message; anything else gets the generic one. */
const KNOWN_ERRORS = new Set([
  "CredentialsSignin",
  "THROTTLED",
  "OAuthAccountNotLinked",
  "AccessDenied",
  "SessionRequired",
  "EMAIL_MISSING",
  "EMAIL_NOT_VERIFIED",
]);

export function SignInForm({ callbackUrl, initialError, oidcName }: SignInFormProps) {
  const { t } = useTranslation("auth");
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    // redirect: false keeps wrong passwords on this page with a message instead of a reload.
    const result = await signIn("credentials", {
      redirect: false,
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      callbackUrl,
    });
    if (result?.ok && !result.error) {
      // A full navigation: the server renders the app with the new session cookie and language.
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(result?.error ?? "default");
    passwordRef.current?.select();
  }

  const message = error ? t(`signIn.errors.${KNOWN_ERRORS.has(error) ? error : "default"}`) : null;
  return (
    <div className={styles.stack}>
      {message ? (
        <p role="alert" className={styles.alert} data-testid="sign-in-error" data-code={error}>
          {message}
        </p>
      ) : null}
      <form className={styles.stack} onSubmit={(event) => void onSubmit(event)}>
        <FormField label={t("signIn.email")}>
          {(field) => <Input {...field} name="email" type="email" autoComplete="username" required autoFocus />}
        </FormField>
        <FormField label={t("signIn.password")}>
          {(field) => (
            <Input
              {...field}
              ref={passwordRef}
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
          )}
        </FormField>
        <Button type="submit" loading={pending}>
          {pending ? t("signIn.submitting") : t("signIn.submit")}
        </Button>
      </form>
      {oidcName ? (
        <>
          <p className={styles.divider}>{t("signIn.or")}</p>
          <Button variant="secondary" onClick={() => void signIn("oidc", { callbackUrl })}>
            {t("signIn.oidc", { name: oidcName })}
          </Button>
        </>
      ) : null}
    </div>
  );
}
