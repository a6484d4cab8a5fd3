/**
 * How PWA writes durations and work on the wire: a display string ("5d", "12.5h"), the same value
 * in milliseconds (Edm.Int32, so it overflows past about 596 hours; see odata.ts), and an Edm.Time
 * (an xsd:duration of elapsed time, as .NET's XmlConvert writes a TimeSpan: 40h is "P1DT16H").
 */

const trim = (n: number): number => (Number.isInteger(n) ? n : Number(n.toFixed(2)));

export function durationString(minutes: number, minutesPerDay: number): string {
  return `${trim(minutes / minutesPerDay)}d`;
}

export function workString(minutes: number): string {
  return `${trim(minutes / 60)}h`;
}

export function milliseconds(minutes: number): number {
  return Math.round(minutes * 60_000);
}

export function timeSpan(minutes: number): string {
  const total = Math.round(minutes * 60);
  const sign = total < 0 ? '-' : '';
  let s = Math.abs(total);
  const d = Math.floor(s / 86_400); s -= d * 86_400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  if (!d && !time) return 'PT0S';
  return `${sign}P${d ? `${d}D` : ''}${time ? `T${time}` : ''}`;
}

/**
 * Adds the three forms of one duration-like property to `props`, in this order: e.g. `Work`,
 * `WorkMilliseconds`, `WorkTimeSpan`. Added in place: every task of a page has four of them, and an
 * object to spread for each was garbage the simulator made per row.
 */
export function addWorkForms(props: Record<string, unknown>, name: string, minutes: number, text: string): Record<string, unknown> {
  const [inMilliseconds, asTimeSpan] = formNames(name);
  props[name] = text;
  props[inMilliseconds] = milliseconds(minutes);
  props[asTimeSpan] = timeSpan(minutes);
  return props;
}

/** The other two names of a form, made once rather than as new strings for every task. */
const names = new Map<string, readonly [string, string]>();
function formNames(name: string): readonly [string, string] {
  let found = names.get(name);
  if (!found) names.set(name, (found = [`${name}Milliseconds`, `${name}TimeSpan`]));
  return found;
}
