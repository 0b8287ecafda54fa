/** Times shown to people: in the configured time zone, to the second. */

/** `2026-12-06 10:00:00` of an ISO instant in `zone` (an IANA name, validated by the config). */
export function formatInZone(iso: string, zone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // sv-SE writes dates the ISO way (2026-12-06 10:00:00).
  return new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'medium' }).format(date);
}
