/**
 * One colour per provider and feature across the overview bar and every chart, so "anthropic"
 * is the same colour everywhere. Mid-tone hues that read on the light and the dark theme.
 */
const KNOWN: Record<string, string> = {
  anthropic: "#d97706",
  openai: "#059669",
  mistral: "#7c3aed",
  google: "#2563eb",
  chat: "#0891b2",
  automation: "#db2777",
  workspace: "#65a30d",
  documents: "#9333ea",
  unknown: "#71717a",
};

const FALLBACK = ["#ea580c", "#0d9488", "#4f46e5", "#be123c", "#ca8a04", "#0284c7"];

export function seriesColor(key: string): string {
  const known = KNOWN[key];
  if (known) return known;
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
  return FALLBACK[hash % FALLBACK.length] ?? "#71717a";
}
