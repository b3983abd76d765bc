import { EmptyState } from "@/components/ui/empty-state";
import { Card } from "@/components/ui/card";
import { PageMain } from "./page-main";

/** Stands in for a dashboard page that a later change fills; its guard is already real. */
export function PlaceholderPage({ title, message }: { title: string; message: string }) {
  return (
    <PageMain>
      <h1>{title}</h1>
      <Card>
        <EmptyState title={message} />
      </Card>
    </PageMain>
  );
}
