import { roleGuardLayout } from "@/lib/auth/page-guards";

// The payments are for ADMIN and OWNER (and platform admins), like the top-up that makes them.
export default roleGuardLayout("ADMIN");
