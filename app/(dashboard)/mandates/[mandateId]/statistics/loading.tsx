import { PageLoading } from "@/components/shell/page-loading";

// Shown while the first view's statistics load on the server; the page's guard is the [mandateId] layout's.
export default PageLoading;
