import type { ApiRoute } from "@/lib/api/openapi";

export const storageRoutes: ApiRoute[] = [];
