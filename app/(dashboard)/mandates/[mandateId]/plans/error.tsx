"use client";

// The dashboard's error card, but inside the mandate layout: when the plans cannot be read, the
// mandate's navigation stays and "Try again" reloads this page only.
export { default } from "../../../error";
