// Our fields on next-auth's session and token (module augmentation, as next-auth documents).
import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    /** app_user.id of the signed-in person (not the OIDC subject). */
    userId: string;
    /** Epoch milliseconds of the sign-in; bounds the session however often it is refreshed. */
    signedInAt: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    userId?: string;
    signedInAt?: number;
  }
}
