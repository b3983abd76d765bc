import { roleGuardLayout } from "@/lib/auth/page-guards";

// Members are managed by the OWNER (and platform admins) only.
export default roleGuardLayout("OWNER");
