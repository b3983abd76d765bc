import { PageLoading } from "@/components/shell/page-loading";

// In the overview's own route group, so this Suspense boundary wraps the overview page only. Had
// it sat on [mandateId], the pages below (settings, members) would render inside it, and their
// role guard's 404 would arrive after a streamed 200. Guards belong outside loading boundaries.
export default PageLoading;
