import { PageLoading } from "@/components/shell/page-loading";

// Inside the segment's role guard (layout.tsx), so a MEMBER's 404 is sent before anything streams.
export default PageLoading;
