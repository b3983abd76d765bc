import { roleGuardLayout } from "@/lib/auth/page-guards";

// Top-ups, and their success and cancel pages, are for ADMIN and OWNER (and platform admins).
export default roleGuardLayout("ADMIN");
