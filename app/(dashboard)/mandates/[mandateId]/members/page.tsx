import { AddMemberForm } from "@/components/members/add-member-form";
import { MembersTable } from "@/components/members/members-table";
import styles from "@/components/members/members.module.css";
import { PageMain } from "@/components/shell/page-main";
import { requirePageMember } from "@/lib/auth/page-guards";
import { getRequestLocale } from "@/lib/i18n/get-request-locale";
import { getTranslator } from "@/lib/i18n/get-translator";
import { listMembers } from "@/lib/members/list-members";
import { addMemberAction, changeMemberRoleAction, removeMemberAction } from "./actions";
import { PageIntro } from "@/components/ui/page-intro";
import { mandatePageMetadata } from "@/app/page-metadata";

export const generateMetadata = mandatePageMetadata("members");

/** Members of a mandate: add by e-mail, change roles, remove. OWNER only. */
export default async function MembersPage({ params }: { params: Promise<{ mandateId: string }> }) {
  const { mandateId } = await params;
  // Again here, not only in the layout: layouts are skipped on client-side navigation.
  const me = await requirePageMember(mandateId, "OWNER");
  const [locale, members] = await Promise.all([getRequestLocale(), listMembers(mandateId)]);
  const t = getTranslator(locale, "billing");
  return (
    <PageMain>
      <h1>{t("members.title")}</h1>
      <PageIntro>{t("members.intro")}</PageIntro>
      <div className={styles.stack}>
        <AddMemberForm locale={locale} action={addMemberAction.bind(null, mandateId)} />
        <MembersTable
          locale={locale}
          members={members}
          currentUserId={me.userId}
          changeRole={changeMemberRoleAction.bind(null, mandateId)}
          remove={removeMemberAction.bind(null, mandateId)}
        />
      </div>
    </PageMain>
  );
}
