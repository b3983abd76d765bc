import { PageLoading } from "@/components/shell/page-loading";

// Every member may see the plans, so no role guard sits outside this boundary.
export default PageLoading;
