/** What Next passes a page below /mandates/{mandateId}: the mandate id, and the query as the URL has it. */
export interface MandatePageProps {
  params: Promise<{ mandateId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}
