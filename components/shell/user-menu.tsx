"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import styles from "./shell.module.css";

interface UserMenuProps {
  name: string;
  email: string;
  isPlatformAdmin: boolean;
}

export function UserMenu({ name, email, isPlatformAdmin }: UserMenuProps) {
  const { t } = useTranslation("common");
  const { t: tAuth } = useTranslation("auth");
  const [signingOut, setSigningOut] = useState(false);
  return (
    <details className={styles.menu}>
      <summary aria-label={`${t("header.userMenu")}: ${name}`}>{name}</summary>
      <div className={styles.menuPanel}>
        <p className={styles.menuEmail}>{t("header.signedInAs", { email })}</p>
        {isPlatformAdmin ? <Badge tone="accent">{t("header.platformAdminBadge")}</Badge> : null}
        <Link
          href="/account"
          // The menu stays in the header across client navigation: close it on the way out.
          onClick={(event) => event.currentTarget.closest("details")?.removeAttribute("open")}
        >
          {tAuth("account.menuLink")}
        </Link>
        <Button
          variant="secondary"
          loading={signingOut}
          onClick={() => {
            setSigningOut(true);
            void signOut({ callbackUrl: "/signin" });
          }}
        >
          {t("header.signOut")}
        </Button>
      </div>
    </details>
  );
}
