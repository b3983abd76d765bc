import type { ApiRoute } from "@/lib/api/openapi";

export const mandatesRoutes: ApiRoute[] = [];
