import { roleGuardLayout } from "@/lib/auth/page-guards";

// Settings are for ADMIN and OWNER (and platform admins).
export default roleGuardLayout("ADMIN");
