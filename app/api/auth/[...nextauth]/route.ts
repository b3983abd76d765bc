import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";

// next-auth v4 in the App Router: one handler serves sign-in, callback, session, csrf and sign-out.
const handler = NextAuth(authOptions);

export { handler as GET, handler as POST };
